// The permit form: rows beyond the first few are hidden until needed (the server ignores
// empty rows), and the form is sent once.
(function () {
  const form = document.getElementById("permit-form");
  if (!form) return;
  const button = document.getElementById("add-worker");
  button.addEventListener("click", () => {
    const row = document.querySelector("#workers tr.worker-row.d-none");
    if (row) { row.classList.remove("d-none"); row.querySelector("input").focus(); }
    button.disabled = !document.querySelector("#workers tr.worker-row.d-none");
  });
  form.addEventListener("submit", () => {
    document.getElementById("issue-button").disabled = true;
  });
})();
