/* Tells the newsroom who else has this article open: the change form sends
 * a heartbeat every 20 seconds and shows the names the server returns. */
"use strict";
(function () {
    function start() {
        const notice = document.getElementById("presence-notice");
        const token = document.querySelector("input[name=csrfmiddlewaretoken]");
        if (!notice || !token) {
            return;
        }
        function beat() {
            fetch(notice.dataset.url, {
                method: "POST",
                headers: {"X-CSRFToken": token.value},
                credentials: "same-origin",
            })
                .then(function (response) { return response.ok ? response.json() : {others: []}; })
                .then(function (data) {
                    if (data.others && data.others.length) {
                        notice.textContent = "Đang mở bài này: " + data.others.join(", ") +
                            ". Lưu ý tránh sửa chồng lên nhau.";
                        notice.hidden = false;
                    } else {
                        notice.hidden = true;
                    }
                })
                .catch(function () { /* offline for a moment: try again at the next beat */ });
        }
        beat();
        window.setInterval(beat, 20000);
    }
    document.addEventListener("DOMContentLoaded", start);
})();
