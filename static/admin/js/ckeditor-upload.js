/* Photos pasted or dropped into CKEditor are sent to the media library's
 * upload endpoint, which, like every admin form, requires Django's CSRF
 * token: add it to each upload request as the X-CSRFToken header. */
"use strict";
(function () {
    if (!window.CKEDITOR) {
        return;
    }
    window.CKEDITOR.on("instanceCreated", function (event) {
        event.editor.on("fileUploadRequest", function (upload) {
            const token = document.querySelector("input[name=csrfmiddlewaretoken]");
            if (token) {
                upload.data.fileLoader.xhr.setRequestHeader("X-CSRFToken", token.value);
            }
        });
    });
})();
