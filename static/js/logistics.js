// Logistics pages: nothing yet (print links are handled by app.js for every page).
