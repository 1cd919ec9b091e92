"use strict";
// Article tools: Print opens the browser's print dialog (the print
// stylesheet lays the page out with its address and QR code); copy-link puts
// the canonical address on the clipboard. Loaded as a file so the page runs
// under a Content-Security-Policy without inline script.
document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-action]");
    if (!button) {
        return;
    }
    if (button.dataset.action === "font-larger" || button.dataset.action === "font-smaller") {
        const body = document.querySelector(".article");
        const current = parseFloat(body.dataset.scale || "1");
        const step = button.dataset.action === "font-larger" ? 0.1 : -0.1;
        const scale = Math.min(1.6, Math.max(0.8, Math.round((current + step) * 10) / 10));
        body.dataset.scale = String(scale);
        body.style.fontSize = scale + "em";
        try {
            window.localStorage.setItem("article-font-scale", String(scale));
        } catch (error) { /* private browsing: the size lasts for this page only */ }
    } else if (button.dataset.action === "print") {
        window.print();
    } else if (button.dataset.action === "copy-link") {
        const status = document.querySelector(".share__status");
        const url = button.dataset.url;
        const done = function (message) {
            if (status) {
                status.textContent = message;
            }
        };
        if (navigator.clipboard && window.isSecureContext) {
            navigator.clipboard.writeText(url).then(
                function () { done("Đã sao chép liên kết."); },
                function () { done("Không sao chép được. Liên kết: " + url); }
            );
        } else {
            done("Liên kết: " + url);
        }
    }
});

// Keep the reader's chosen text size from one article to the next.
document.addEventListener("DOMContentLoaded", function () {
    let scale = null;
    try {
        scale = window.localStorage.getItem("article-font-scale");
    } catch (error) { /* no storage */ }
    const body = document.querySelector(".article");
    if (body && scale) {
        body.dataset.scale = scale;
        body.style.fontSize = scale + "em";
    }
});
