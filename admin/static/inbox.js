// A saved reply chosen from the list is put into the reply box, to be read and changed before sending.
document.addEventListener("change", function (event) {
  var select = event.target;
  if (!select.matches || !select.matches("select[data-fills]") || !select.value) return;
  var box = document.getElementById(select.getAttribute("data-fills"));
  if (box) { box.value = select.value; box.focus(); }
  select.selectedIndex = 0;
});
