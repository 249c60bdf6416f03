// A conversation's history opens at its newest message, and stays there when new ones arrive.
(function () {
  function toNewest(box) { box.scrollTop = box.scrollHeight; }
  document.querySelectorAll(".history").forEach(function (box) {
    toNewest(box);
    box.addEventListener("htmx:afterSwap", function () { toNewest(box); });
  });
})();
