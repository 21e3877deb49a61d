// Behaviour every page shares. Kept in this file, not in the templates: the
// Content-Security-Policy runs no script written into a page (config/settings.py).
(function () {
  // A select marked data-autosubmit sends its form when its choice changes (the language
  // switch); without JavaScript, the form's own button does it.
  document.addEventListener("change", (event) => {
    if (event.target.matches("select[data-autosubmit]")) event.target.form.submit();
  });

  // A progress bar's width comes from its data-progress (0-100): the policy refuses style
  // attributes in the markup, but a script may still set a width. htmx.onLoad runs for the
  // page and again for every fragment htmx swaps in (the audit pack's polling).
  htmx.onLoad((root) => {
    root.querySelectorAll("[data-progress]").forEach((bar) => {
      bar.style.width = `${Number(bar.dataset.progress) || 0}%`;
    });
  });
})();
