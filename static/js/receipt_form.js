// The receipt form's conveniences; the server checks and computes everything again.
// Issuing takes a decision: the button (or Ctrl+Enter) opens a confirmation that shows the
// server's total in figures and in 大写, and only its own button sends the form.
(function () {
  const form = document.getElementById("receipt-form");
  if (!form) return;
  const defaults = JSON.parse(document.getElementById("fee-defaults").textContent);
  const approval = document.getElementById("approval");
  const approvalNote = document.getElementById("approval-note");
  const confirmButton = document.getElementById("confirm-button");
  const modalElement = document.getElementById("confirm-modal");
  const modal = bootstrap.Modal.getOrCreateInstance(modalElement);
  const field = (row, name) => row.querySelector(`[name$='-${name}']`);

  // --- line amounts, as a guide while typing (the confirmation shows the server's) -------
  // A value the field's own pattern (the server's rule: plain digits, at most two decimals)
  // refuses is no number at all: "1e2" or "1,000" must not show as 100 or 1.
  const number = (input) => {
    const value = ((input && input.value) || "").trim();
    if (value === "") return 0;
    const pattern = input.getAttribute && input.getAttribute("pattern");
    if (pattern && !new RegExp(`^(?:${pattern})$`).test(value)) return NaN;
    return Number(value);
  };
  const shown = (amount) => (Number.isFinite(amount) ? amount.toFixed(2) : "—");
  function recompute() {
    let total = 0;
    form.querySelectorAll("tr.line").forEach((row) => {
      const fee = field(row, "fee_type");
      const qty = field(row, "quantity");
      const amount =
        fee && fee.value
          ? (qty && qty.value.trim() ? number(qty) : 1) * number(field(row, "unit_price")) -
            number(field(row, "discount"))
          : 0;
      row.querySelector(".line-amount").textContent = shown(amount);
      total += amount;
    });
    document.getElementById("receipt-total").textContent = shown(total);
  }

  // --- a fee's default price, unless the desk typed its own on that line --------------
  // A price shown again after a refused submission counts as typed when it is not the
  // fee's default (a charge's outstanding amount, say): a fee change must not overwrite it.
  form.querySelectorAll("tr.line").forEach((row) => {
    const fee = field(row, "fee_type");
    const price = field(row, "unit_price");
    if (price.value && price.value !== (defaults[fee.value] || "")) price.dataset.typed = "true";
  });
  function feeChanged(select) {
    const row = select.closest("tr");
    const price = field(row, "unit_price");
    const qty = field(row, "quantity");
    if (!price.dataset.typed) price.value = select.value ? defaults[select.value] || "" : "";
    if (select.value && qty && !qty.value) qty.value = "1";
  }

  // --- the manager's approval opens by itself while a discount is over the limit --------
  let approvalNeeded = approval.dataset.needed === "true";
  function setApproval(needed) {
    if (needed === approvalNeeded) return; // a desk that opened it by hand keeps it open
    approvalNeeded = needed;
    approval.open = needed;
    approvalNote.hidden = !needed;
    if (!needed) {
      // Credentials no longer needed are not sent (nor checked) with the receipt.
      approval.querySelectorAll("input").forEach((input) => (input.value = ""));
    }
  }

  // --- the server's check: total, 大写, approval, or the mistakes to correct ----------
  async function check() {
    const data = new FormData(form);
    data.delete("approver_password"); // the password is checked once, when issuing
    const response = await fetch(form.dataset.previewUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(`check answered ${response.status}`);
    return response.json();
  }

  // Error ids come and go in aria-describedby; the help text and the unit's info stay.
  const describedBy = (input, add) => {
    const ids = (input.getAttribute("aria-describedby") || "")
      .split(" ")
      .filter((id) => id && !id.endsWith("_error"));
    if (add) ids.push(add);
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  };
  const unitInput = document.getElementById("id_unit_code");
  if (unitInput) {
    const ids = unitInput.getAttribute("aria-describedby") || "";
    unitInput.setAttribute("aria-describedby", `${ids} unit-info`.trim());
  }

  function clearErrors() {
    form.querySelectorAll(".invalid-feedback").forEach((element) => element.remove());
    form.querySelectorAll(".is-invalid").forEach((element) => {
      element.classList.remove("is-invalid");
      element.removeAttribute("aria-invalid");
      describedBy(element, null);
    });
    form.querySelectorAll(".alert-danger[role=alert]").forEach((element) => {
      if (element.id === "check-errors" || element.id === "check-failed") element.hidden = true;
      else element.remove();
    });
  }

  function showErrors(answer) {
    for (const [id, texts] of Object.entries(answer.errors)) {
      const input = document.getElementById(id);
      if (!input) continue;
      const feedback = document.createElement("div");
      feedback.className = "invalid-feedback d-block";
      feedback.id = `${id}_error`;
      feedback.textContent = texts.join(" ");
      input.classList.add("is-invalid");
      input.setAttribute("aria-invalid", "true");
      describedBy(input, feedback.id);
      input.after(feedback);
    }
    const general = document.getElementById("check-errors");
    general.replaceChildren(
      ...answer.general.map((text) => {
        const line = document.createElement("div");
        line.textContent = text;
        return line;
      }),
    );
    general.hidden = answer.general.length === 0;
    const first = form.querySelector(".is-invalid");
    if (first) first.focus();
    else if (!general.hidden) general.scrollIntoView({ block: "center" });
  }

  // Answers about the approval may arrive out of order: only the latest question counts.
  let asked = 0;
  let timer;

  let returnTo = null; // where the desk was typing, to go back to from the confirmation

  async function openConfirmation() {
    if (form.contains(document.activeElement) && !modalElement.contains(document.activeElement)) {
      returnTo = document.activeElement;
    }
    clearTimeout(timer);
    asked += 1; // an approval question still under way is outdated by this one
    clearErrors();
    confirmButton.disabled = true;
    let answer;
    try {
      answer = await check();
    } catch (error) {
      document.getElementById("check-failed").hidden = false;
      return;
    }
    setApproval(answer.needs_approval);
    if (!answer.ok) {
      showErrors(answer);
      return;
    }
    document.getElementById("confirm-payer").textContent = answer.payer;
    document.getElementById("confirm-method").textContent = answer.method;
    document.getElementById("confirm-total").textContent = answer.total_display;
    document.getElementById("confirm-words").textContent = answer.words;
    confirmButton.disabled = false;
    modal.show();
  }
  modalElement.addEventListener("shown.bs.modal", () => confirmButton.focus());
  modalElement.addEventListener("hidden.bs.modal", () => {
    if (returnTo && !confirmButton.disabled) returnTo.focus();
  });

  // While the lines change, ask (after a pause in typing) whether the approval is needed.
  function lineEdited(target) {
    if (!target.closest("tr.line")) return;
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const question = ++asked;
      try {
        const answer = await check();
        if (question === asked) setApproval(answer.needs_approval);
      } catch (error) {
        // Only a convenience: the confirmation asks again and says when it cannot.
      }
    }, 300);
  }

  form.addEventListener("change", (event) => {
    if (event.target.name && event.target.name.endsWith("-fee_type")) feeChanged(event.target);
    recompute();
    lineEdited(event.target);
  });
  form.addEventListener("input", (event) => {
    const target = event.target;
    if (target.name && target.name.endsWith("-unit_price")) {
      target.dataset.typed = target.value ? "true" : "";
    }
    recompute();
    lineEdited(target);
  });

  // Ctrl+Enter anywhere on the page (the focus may be on no field at all) asks to confirm.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.isComposing) return; // Enter also ends IME input
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      if (!modalElement.classList.contains("show")) openConfirmation();
      return;
    }
    // Enter in a field is the browser's "send the form"; at a desk it is a stray key.
    if (form.contains(event.target) && event.target.matches("input, select")) {
      event.preventDefault();
    }
  });

  // Only the confirmation's own button sends the form; any other way in opens it first.
  form.addEventListener("submit", (event) => {
    if (event.submitter === confirmButton && !confirmButton.disabled) {
      // One click issues one receipt (the server refuses a second sending of this form too).
      confirmButton.disabled = true;
      return;
    }
    event.preventDefault();
    openConfirmation();
  });

  recompute();
  // The first field (or the first one to correct) is where the desk starts typing.
  const start =
    form.querySelector(".is-invalid") ||
    form.querySelector("input:not([type=hidden]), select, textarea");
  if (start) start.focus();
})();
