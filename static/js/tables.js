// Narrow screens show each row of a data table as a card of "label: value" lines (portal.css, "Tables").
// This gives every body cell the text of its column's header as data-label (a cell that already has one
// keeps it), following rowspan and colspan, and marks the table data-stack so the stylesheet may stack it.
// The explicit roles keep the table's meaning for screen readers once CSS displays its parts as blocks.
// A cell holding only a date keeps it on one line. Without this script the tables stay tables.
// htmx swaps (the partner list's live filter) are labelled too.
(function () {
  const DATE = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/; // a bare date is not broken at its hyphens
  function label(table) {
    const head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head || table.hasAttribute("data-stack")) return;
    const names = [];
    for (const th of head.cells) {
      for (let i = 0; i < th.colSpan; i++) names.push(th.textContent.trim());
      th.setAttribute("role", "columnheader");
    }
    const pending = []; // column -> rows its rowspan cell still covers
    for (const body of table.tBodies) {
      body.setAttribute("role", "rowgroup");
      for (const row of body.rows) {
        row.setAttribute("role", "row");
        let col = 0;
        for (const cell of row.cells) {
          while (pending[col] > 0) pending[col++]--;
          if (!cell.hasAttribute("data-label") && cell.colSpan === 1) cell.setAttribute("data-label", names[col] || "");
          cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
          if (DATE.test(cell.textContent.trim())) cell.classList.add("nowrap");
          for (let i = 0; i < cell.colSpan; i++) pending[col++] = cell.rowSpan - 1;
        }
        while (col < pending.length) if (pending[col] > 0) pending[col++]--; else col++;
      }
    }
    table.tHead.setAttribute("role", "rowgroup");
    head.setAttribute("role", "row");
    table.setAttribute("role", "table");
    table.setAttribute("data-stack", "");
  }
  function labelAll(root) {
    root.querySelectorAll("table.table").forEach(label);
  }
  labelAll(document);
  document.addEventListener("htmx:load", (event) => labelAll(event.target));
})();
