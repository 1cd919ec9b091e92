"use strict";
// The library browser CKEditor opens from its image and link dialogs:
// choosing an item hands its address back to the dialog that opened us.
// CKEditorFuncNum reaches this script only as a number the server parsed.
document.addEventListener("click", function (event) {
    const button = event.target.closest("button.choose");
    if (!button) {
        return;
    }
    const funcNum = parseInt(document.body.dataset.funcNum, 10);
    const editor = window.opener && window.opener.CKEDITOR;
    if (!editor || Number.isNaN(funcNum)) {
        return;
    }
    const alt = button.dataset.alt;
    editor.tools.callFunction(funcNum, button.dataset.url, function () {
        // Fill the dialog's alt text from the library when the image has one.
        const dialog = this.getDialog && this.getDialog();
        if (dialog && alt) {
            const field = dialog.getContentElement("info", "alt");
            if (field && !field.getValue()) {
                field.setValue(alt);
            }
        }
    });
    window.close();
});
