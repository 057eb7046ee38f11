// "Use my location": fills the hidden lat/lng fields; the village select stays usable.
(function () {
  var button = document.getElementById("use-location");
  var status = document.getElementById("location-status");
  var script = document.currentScript;
  if (!button || !navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("id_lat").value = pos.coords.latitude.toFixed(6);
      document.getElementById("id_lng").value = pos.coords.longitude.toFixed(6);
      status.textContent = script.dataset.found;
    }, function () {
      status.textContent = script.dataset.failed;
    }, { timeout: 10000, maximumAge: 60000 });
  });
})();
