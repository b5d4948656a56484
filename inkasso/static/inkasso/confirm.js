// The confirmation page: the figures at the top follow the ticks below.
"use strict";
{
    function update() {
        const summary = document.getElementById("inkasso-confirm-summary");
        if (!summary) {
            return;
        }
        let count = Number(summary.dataset.count);
        let cents = Math.round(Number(summary.dataset.total) * 100);
        for (const box of document.querySelectorAll('input[name="keep"]')) {
            if (!box.checked) {
                count -= 1;
                cents -= Math.round(Number(box.dataset.amount) * 100);
            }
            box.closest("tr").classList.toggle("inkasso-left-out-row", !box.checked);
        }
        const lang = document.documentElement.lang || "en";
        document.getElementById("inkasso-confirm-count").textContent =
            new Intl.NumberFormat(lang).format(count);
        document.getElementById("inkasso-confirm-total").textContent =
            new Intl.NumberFormat(lang, {style: "currency", currency: "EUR"}).format(cents / 100);
    }
    window.addEventListener("load", function() {
        for (const box of document.querySelectorAll('input[name="keep"]')) {
            box.addEventListener("change", update);
        }
        update();
    });
}
