import { initAll as initGovuk } from '../../vendor/govuk/govuk-frontend.min.js'
import { initAll as initMoj } from '../../vendor/moj/moj-frontend.min.js'

initGovuk()
initMoj()

// Buttons that print the page (reports): no inline handlers under the CSP.
document.querySelectorAll('[data-vigil-print]').forEach((button) => {
  button.addEventListener('click', () => window.print())
})

// Links and buttons that ask for confirmation before a destructive or costly action.
document.querySelectorAll('[data-vigil-confirm]').forEach((element) => {
  element.addEventListener('click', (event) => {
    if (!window.confirm(element.getAttribute('data-vigil-confirm'))) event.preventDefault()
  })
})
