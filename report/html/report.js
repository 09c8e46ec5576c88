// Filters for the gcrun HTML report. The page is complete without this
// script, which only adds the filter form. It never writes markup: it reads
// the embedded report data, toggles the hidden attribute of rows and sets
// textContent, so no report string can ever become code.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("rules");
  var shownCount = document.getElementById("shown-count");
  var noMatch = document.getElementById("no-match");
  var dataElement = document.getElementById("report-data");
  if (!form || !table || !shownCount || !dataElement) {
    return;
  }
  var report = JSON.parse(dataElement.textContent);
  var rules = Array.isArray(report.rules) ? report.rules : [];
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody > tr.rule"));
  var search = document.getElementById("search");

  // What the free-text search looks at: the rule's id, title and the
  // phrases of its reasons, from the report data rather than the page text,
  // so that the search does not match labels such as "Expected".
  var haystacks = rows.map(function (row) {
    var rule = rules[Number(row.getAttribute("data-index"))] || {};
    var parts = [String(rule.id || ""), String(rule.title || "")];
    (Array.isArray(rule.reasons) ? rule.reasons : []).forEach(function (reason) {
      parts.push(String((reason && reason.phrase) || ""));
    });
    return parts.join("\n").toLowerCase();
  });

  function checkedValues(name) {
    var set = Object.create(null);
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (box.name === name && box.checked) {
        set[box.value] = true;
      }
    });
    return set;
  }

  function apply() {
    var statuses = checkedValues("status");
    var severities = checkedValues("severity");
    var query = search ? search.value.trim().toLowerCase() : "";
    var shown = 0;
    rows.forEach(function (row, i) {
      var visible = statuses[row.getAttribute("data-status")] === true &&
        severities[row.getAttribute("data-severity")] === true &&
        (query === "" || haystacks[i].indexOf(query) !== -1);
      row.hidden = !visible;
      if (visible) {
        shown++;
      }
    });
    shownCount.textContent = "Showing " + shown + " of " + rows.length + " rules";
    if (noMatch) {
      noMatch.hidden = shown !== 0;
    }
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  // The form is never sent anywhere: Enter in the search box must not
  // navigate.
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  // "Show all": the browser would reset the fields only after the event,
  // so reset them here and show the result at once.
  form.addEventListener("reset", function (event) {
    event.preventDefault();
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.checked = box.defaultChecked;
    });
    if (search) {
      search.value = "";
    }
    apply();
  });

  // A printout shows the details of the rows on the page; the rows the
  // reader had closed are closed again afterwards.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    rows.forEach(function (row) {
      var details = row.querySelector("details");
      if (!row.hidden && details && !details.open) {
        details.open = true;
        openedForPrint.push(details);
      }
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) {
      details.open = false;
    });
    openedForPrint = [];
  });

  form.hidden = false;
  apply();
})();
