/* Fill latitude/longitude from the phone's position (browser geolocation API). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-gps-button]");
    var lat = document.querySelector("[data-gps-lat]");
    var lon = document.querySelector("[data-gps-lon]");
    var status = document.querySelector("[data-gps-status]");
    if (!button || !lat || !lon || !("geolocation" in navigator)) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.getAttribute("data-msg-wait");
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (pos) {
        lat.value = pos.coords.latitude.toFixed(6);
        lon.value = pos.coords.longitude.toFixed(6);
        status.textContent = button.getAttribute("data-msg-done") + " (±" + Math.round(pos.coords.accuracy) + " m)";
        button.disabled = false;
      }, function () {
        status.textContent = button.getAttribute("data-msg-error");
        button.disabled = false;
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
    });
  });
})();
