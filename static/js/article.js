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
    if (button.dataset.action === "print") {
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
