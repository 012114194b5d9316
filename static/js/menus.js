// The header's menus are <details> elements: they open and close without this script. With it, they close
// as people expect a menu to: a click anywhere outside an open menu closes it, opening one menu closes the
// others, and Escape closes the open menu and gives the focus back to its toggle.
(function () {
  const MENUS = "header details";
  function closeAll(except) {
    for (const menu of document.querySelectorAll(MENUS + "[open]")) {
      if (!menu.contains(except)) menu.removeAttribute("open");
    }
  }
  document.addEventListener("click", (event) => closeAll(event.target));
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const open = [...document.querySelectorAll(MENUS + "[open]")];
    if (!open.length) return;
    const inner = open[open.length - 1]; // the innermost open menu (document order: a parent comes first)
    inner.removeAttribute("open");
    inner.querySelector(":scope > summary").focus();
  });
})();
