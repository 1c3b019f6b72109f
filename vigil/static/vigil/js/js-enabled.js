// Runs as the first thing in <body> (an external file, because the content security
// policy allows no inline script): tells GOV.UK Frontend's CSS that JavaScript runs.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
