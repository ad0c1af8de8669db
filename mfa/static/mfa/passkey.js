// After django-otp-webauthn saved a new passkey, go on to the page named by #passkey-done.
document.addEventListener("otp_webauthn.register_complete", function () {
  var done = document.getElementById("passkey-done");
  if (done && done.dataset.url) {
    window.location.assign(done.dataset.url);
  }
});
