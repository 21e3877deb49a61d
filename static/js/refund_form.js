// The refund form: what is left of the deposit after the deductions typed so far, shown
// as they are typed (the server works it out again, and the service decides).
(function () {
  "use strict";
  var form = document.getElementById("refund-form");
  if (!form) return;
  var held = Number(form.dataset.held);
  var left = document.getElementById("left");
  var amount = document.getElementById("id_refund-amount");
  var format = new Intl.NumberFormat("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  function update() {
    var cents = Math.round(held * 100);
    var valid = true;
    form.querySelectorAll("input[name^='deductions-'][name$='-amount']").forEach(function (input) {
      var text = input.value.trim();
      if (!text) return;
      if (!/^\d+(\.\d{1,2})?$/.test(text)) { valid = false; return; }
      cents -= Math.round(Number(text) * 100);
    });
    if (!valid) { left.textContent = "—"; return; }
    left.textContent = (cents < 0 ? "-¥" : "¥") + format.format(Math.abs(cents) / 100);
    if (amount && cents > 0 && !amount.dataset.typed) amount.value = (cents / 100).toFixed(2);
  }

  if (amount) amount.addEventListener("input", function () { amount.dataset.typed = "1"; });
  form.addEventListener("input", function (event) {
    if (event.target.name && /-amount$/.test(event.target.name) && event.target !== amount) update();
  });
})();
