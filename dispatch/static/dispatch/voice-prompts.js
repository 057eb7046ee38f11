// Record a prompt with the browser's microphone (MediaRecorder) and put the recording in
// the form's file input, so "Lưu" uploads it like a chosen file.
(function () {
  var script = document.currentScript;
  if (!navigator.mediaDevices || !window.MediaRecorder || !window.DataTransfer) return;
  document.querySelectorAll("form[data-record]").forEach(function (form) {
    var button = form.querySelector("[data-mic]");
    var status = form.querySelector("[data-mic-status]");
    var input = form.querySelector("input[type=file]");
    var recorder = null;
    button.hidden = false;
    button.addEventListener("click", function () {
      if (recorder) { recorder.stop(); return; }
      navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
        var chunks = [];
        recorder = new MediaRecorder(stream);
        recorder.ondataavailable = function (e) { chunks.push(e.data); };
        recorder.onstop = function () {
          stream.getTracks().forEach(function (t) { t.stop(); });
          var type = recorder.mimeType || "audio/webm";
          var file = new File(chunks, "recording.webm", { type: type });
          var list = new DataTransfer();
          list.items.add(file);
          input.files = list.files;
          status.textContent = script.dataset.ready;
          recorder = null;
        };
        recorder.start();
        status.textContent = script.dataset.recording;
      });
    });
  });
})();
