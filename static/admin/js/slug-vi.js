/* Slug prefill for Vietnamese titles, matching portal.text.slugify_vi.
 *
 * Django's URLify has no Vietnamese map: it drops letters such as "ồ" and
 * writes Đ/đ the Serbian way ("Dj"/"dj"), so "Đồng chí" became "djng-chi".
 * Strip the tone and vowel marks (NFD, then drop combining marks) and map
 * Đ/đ to D/d before URLify does the rest. */
"use strict";
(function () {
    const original = window.URLify;
    if (typeof original !== "function") {
        return;
    }
    window.URLify = function (s, numChars, allowUnicode) {
        const plain = String(s)
            .normalize("NFD")
            .replace(/[\u0300-\u036f]/g, "")
            .replace(/Đ/g, "D")
            .replace(/đ/g, "d");
        return original(plain, numChars, allowUnicode);
    };
})();
