// The receipt form's conveniences; the server checks and computes everything again.
(function () {
  const form = document.getElementById("receipt-form");
  if (!form) return;
  const defaults = JSON.parse(document.getElementById("fee-defaults").textContent);
  const number = (input) => {
    const value = parseFloat((input && input.value) || "0");
    return Number.isFinite(value) ? value : 0;
  };
  function recompute() {
    let total = 0;
    form.querySelectorAll("tr.line").forEach((row) => {
      const fee = row.querySelector("select[name$='-fee_type']");
      const qty = row.querySelector("input[name$='-quantity']");
      const price = row.querySelector("input[name$='-unit_price']");
      const discount = row.querySelector("input[name$='-discount']");
      const amount = fee && fee.value ? number(qty || { value: "1" }) * number(price) - number(discount) : 0;
      row.querySelector(".line-amount").textContent = amount.toFixed(2);
      total += amount;
    });
    document.getElementById("receipt-total").textContent = total.toFixed(2);
  }
  form.addEventListener("change", (event) => {
    const target = event.target;
    if (target.name && target.name.endsWith("-fee_type")) {
      const row = target.closest("tr");
      const price = row.querySelector("input[name$='-unit_price']");
      const qty = row.querySelector("input[name$='-quantity']");
      if (target.value && price && !price.value) price.value = defaults[target.value] || "";
      if (target.value && qty && !qty.value) qty.value = "1";
    }
    recompute();
  });
  form.addEventListener("input", recompute);
  // One click issues one receipt: the button is disabled after the first submit (the server
  // also refuses a second submission of the same form).
  form.addEventListener("submit", () => {
    document.getElementById("issue-button").disabled = true;
  });
  recompute();
})();
