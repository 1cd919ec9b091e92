/* Nothing typed into an article is lost: the form's content is kept in the
 * browser's storage every few seconds and when the tab is hidden (it
 * survives a crash, a closed tab and an expired login), coming back offers
 * "Khôi phục bản đang soạn" with its time, and leaving a form with unsaved
 * changes asks first. The copy is per user and article and is dropped once
 * the form holds the same text (after a save). */
"use strict";
(function () {
    const FIELDS = ["title", "lead", "body", "author_byline", "source", "workflow_comment"];
    const EVERY_MS = 5000;

    function editor() {
        return window.CKEDITOR && window.CKEDITOR.instances && window.CKEDITOR.instances.id_body;
    }

    function read(form) {
        const values = {};
        FIELDS.forEach(function (name) {
            const field = form.elements[name];
            if (field) {
                values[name] = field.value;
            }
        });
        const body = editor();
        if (body) {
            values.body = body.getData();
        }
        return values;
    }

    function write(form, values) {
        FIELDS.forEach(function (name) {
            const field = form.elements[name];
            if (field && name in values) {
                field.value = values[name];
            }
        });
        const body = editor();
        if (body && "body" in values) {
            body.setData(values.body);
        }
    }

    function same(a, b) {
        return FIELDS.every(function (name) { return (a[name] || "") === (b[name] || ""); });
    }

    function when(time) {
        const d = new Date(time);
        const two = function (n) { return String(n).padStart(2, "0"); };
        return two(d.getHours()) + ":" + two(d.getMinutes()) + " " + two(d.getDate()) + "/" +
            two(d.getMonth() + 1) + "/" + d.getFullYear();
    }

    function start() {
        const store = document.getElementById("article-draft");
        const form = document.getElementById("article_form");
        if (!store || !form || !window.localStorage) {
            return;
        }
        const key = "congtintuc:ban-dang-soan:" + store.dataset.key;
        let saved = null;
        try {
            saved = JSON.parse(window.localStorage.getItem(key) || "null");
        } catch (error) {
            saved = null;
        }
        let opened = read(form);
        let submitting = false;

        function keep() {
            const now = read(form);
            if (same(now, opened)) {
                return;
            }
            try {
                window.localStorage.setItem(key, JSON.stringify({at: Date.now(), values: now}));
            } catch (error) { /* storage full or refused: the beforeunload prompt still guards */ }
        }

        function offer() {
            if (!saved || !saved.values) {
                return;
            }
            if (same(saved.values, read(form))) {
                window.localStorage.removeItem(key);  // saved since: nothing to bring back
                return;
            }
            store.hidden = false;
            store.querySelector("[data-draft-time]").textContent = when(saved.at);
            store.querySelector("[data-draft-restore]").addEventListener("click", function () {
                write(form, saved.values);
                store.hidden = true;
            });
            store.querySelector("[data-draft-discard]").addEventListener("click", function () {
                window.localStorage.removeItem(key);
                store.hidden = true;
            });
        }

        form.addEventListener("submit", function () {
            keep();  // kept until the form comes back holding the same text
            submitting = true;
        });
        document.addEventListener("visibilitychange", function () {
            if (document.visibilityState === "hidden") {
                keep();
            }
        });
        window.setInterval(keep, EVERY_MS);
        window.addEventListener("beforeunload", function (event) {
            if (submitting || same(read(form), opened)) {
                return undefined;
            }
            keep();
            event.preventDefault();
            event.returnValue = "";
            return "";
        });

        // CKEditor fills the body a moment after the page loads.
        function ready() {
            opened = read(form);
            offer();
        }
        const body = editor();
        if (body && body.status !== "ready") {
            body.on("instanceReady", ready);
        } else {
            ready();
        }
    }
    // After CKEditor's own start, which also runs on DOMContentLoaded.
    window.addEventListener("load", start);
})();
