// Loaded at the start of <body>: marks the page as having JavaScript so the
// GOV.UK Frontend styles apply, without an inline script (the CSP forbids
// them).
document.body.className +=
  " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
