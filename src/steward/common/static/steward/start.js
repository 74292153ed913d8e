// Starts the GOV.UK Frontend components on the page.
import { initAll } from "../govuk-frontend/govuk/govuk-frontend.min.js";

initAll();
