/* Slug prefill for Vietnamese titles.
 *
 * Django's URLify transliterates Đ/đ the Serbian way ("Dj"/"dj"), so
 * "Đồng chí" would become "djong-chi". Vietnamese slugs write "d", as
 * portal.text.slugify_vi does on the server. Wrap URLify once it exists. */
"use strict";
(function () {
    const original = window.URLify;
    if (typeof original !== "function") {
        return;
    }
    window.URLify = function (s, numChars, allowUnicode) {
        return original(String(s).normalize("NFC").replace(/Đ/g, "D").replace(/đ/g, "d"), numChars, allowUnicode);
    };
})();
