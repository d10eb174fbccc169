/*
 * Karigar training index: filter the cards by topic and language.
 *
 * Progressive enhancement: the form ships `hidden` and every card visible;
 * this script reveals the form and hides the cards that do not match.
 * Markup (theme/karigar/training_index.html):
 *   form[data-kg-filter]                      the form
 *     select[data-kg-filter-attr="topics"]    value: a topic, "" for all
 *     select[data-kg-filter-attr="languages"] value: a language code, "" for all
 *     [data-kg-filter-status][data-template]  live region, "Showing {shown} of {total}"
 *   [data-kg-filter-section]                  a section of cards
 *     [data-topics="|a|b|"][data-languages="|en|ur|"]  a card
 *     [data-kg-filter-empty]                  shown when none of its cards match
 * Plain ES2017, no dependencies; works with Material's instant navigation.
 */
(function () {
  "use strict";

  var SEP = "|";

  function has(list, value) {
    // Lists are "|"-framed: "|shipping|pricing|"; a topic may hold spaces.
    return (list || "").indexOf(SEP + value + SEP) !== -1;
  }

  function setup(form) {
    if (form.dataset.kgFilterReady) {
      return;
    }
    form.dataset.kgFilterReady = "1";

    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-kg-filter-attr]"));
    var status = form.querySelector("[data-kg-filter-status]");
    var sections = Array.prototype.slice.call(document.querySelectorAll("[data-kg-filter-section]"));

    function apply(announce) {
      var shown = 0;
      var total = 0;
      sections.forEach(function (section) {
        var cards = section.querySelectorAll("[data-topics][data-languages]");
        var visible = 0;
        Array.prototype.forEach.call(cards, function (card) {
          var match = selects.every(function (select) {
            var value = select.value;
            var attr = select.getAttribute("data-kg-filter-attr");
            return value === "" || has(card.getAttribute("data-" + attr), value);
          });
          card.hidden = !match;
          if (match) {
            visible += 1;
          }
        });
        shown += visible;
        total += cards.length;
        var empty = section.querySelector("[data-kg-filter-empty]");
        if (empty) {
          empty.hidden = !(cards.length > 0 && visible === 0);
        }
      });
      if (status && announce) {
        var template = status.getAttribute("data-template") || "{shown} / {total}";
        status.textContent = template.replace("{shown}", String(shown)).replace("{total}", String(total));
      }
    }

    selects.forEach(function (select) {
      select.addEventListener("change", function () {
        apply(true);
      });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      apply(true);
    });
    // A reload keeps the chosen options in some browsers: honour them, quietly.
    apply(false);
    form.hidden = false;
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-kg-filter]"), setup);
  }

  // Material's instant navigation swaps the page without a load event.
  if (typeof window.document$ !== "undefined" && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
