/* The search page (theme/karigar/search.html; the engine is karigar/render/search.py).

   Pagefind is loaded on first use: when the page opens with a query or filters in its URL, or when
   the reader focuses the box or starts typing.  The site's records are cut into bundles (per country,
   and training); the first bundle's pagefind.js loads the WebAssembly and every other bundle is merged
   into it (mergeIndex).  One record serves every language: its title and line are metadata per
   language, its URL the page's path without the language folder, which this page puts back.

   Facets are Pagefind filters holding keys; the page's settings (`data-kg-search`) carry their labels
   in the page's language.  A facet with a choice counts as if it had none (a second search without
   it), so its other values keep their counts: choosing "Pottery" never hides "Ajrak".  The query and
   the filters live in the URL: a search can be shared, and the back button returns to the last one. */

const root = document.querySelector("[data-kg-search]");
const config = JSON.parse(root.getAttribute("data-kg-search"));
const form = root.querySelector(".kg-search__form");
const input = root.querySelector("#kg-search-q");
const body = root.querySelector("[data-kg-search-body]");
const facetsBox = root.querySelector("[data-kg-facets]");
const statusLine = root.querySelector("[data-kg-status]");
const list = root.querySelector("[data-kg-results]");
const moreButton = root.querySelector("[data-kg-more]");
const clearButton = root.querySelector("[data-kg-clear]");
const sortSelect = root.querySelector("[data-kg-sort]");
const showFilters = root.querySelector("[data-kg-show-filters]");
const PAGE = 20; // results shown at a time
const SHOWN_VALUES = 8; // values of a facet shown before "More filters"
const numbers = new Intl.NumberFormat(config.numbers);

body.hidden = false;
root.querySelector("[data-kg-browse]").hidden = true; // the way on without script

let engine = null;
let generation = 0; // a search that finished after a newer one started is dropped
let results = [];
let merged = null; // a sorted search: the bundles' sorted lists, merged as they are read
let pendingFocus = "";
let shown = 0;

function fill(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_match, name) => values[name] ?? "");
}

function readState() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const facet of config.facets) {
    const values = params.getAll(facet).filter(Boolean);
    if (values.length) filters[facet] = new Set(values);
  }
  const sort = params.get("sort") || "";
  return { q: (params.get("q") || "").trim(), filters, sort: sort in config.sorts ? sort : "" };
}

function stateUrl(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const facet of config.facets) {
    for (const value of [...(state.filters[facet] || [])].sort()) params.append(facet, value);
  }
  if (state.sort) params.set("sort", state.sort);
  const query = params.toString();
  return location.pathname + (query ? "?" + query : "");
}

let state = readState();

function loadEngine() {
  if (!engine) {
    engine = (async () => {
      const [first, ...rest] = config.bundles;
      const pagefind = await import(first + "pagefind.js");
      await pagefind.options({ basePath: first, excerptLength: 0 });
      for (const bundle of rest) await pagefind.mergeIndex(bundle);
      await pagefind.init();
      return pagefind;
    })();
  }
  return engine;
}

function pagefindFilters(skip) {
  const filters = {};
  for (const [facet, values] of Object.entries(state.filters)) {
    if (facet !== skip && values.size) filters[facet] = { any: [...values] };
  }
  return filters;
}

function priceLabel(key) {
  const [currency, range] = key.split(":");
  const [low, high] = (range || "").split("-");
  let money;
  try {
    money = new Intl.NumberFormat(config.numbers, { style: "currency", currency, maximumFractionDigits: 0 });
  } catch (error) {
    return key;
  }
  if (!low) return fill(config.text.under, { price: money.format(Number(high)) });
  if (!high) return fill(config.text.over, { price: money.format(Number(low)) });
  return fill(config.text.between, { low: money.format(Number(low)), high: money.format(Number(high)) });
}

function label(facet, key) {
  if (facet === "price") return priceLabel(key);
  return (config.labels[facet] || {})[key] || key;
}

function option(facet, key, count) {
  const item = document.createElement("li");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.id = `kg-f-${facet}-${key}`.replace(/[^A-Za-z0-9_-]/g, "_");
  box.name = facet;
  box.value = key;
  box.checked = Boolean(state.filters[facet]?.has(key));
  const text = document.createElement("label");
  text.htmlFor = box.id;
  const name = document.createElement("span");
  name.textContent = label(facet, key);
  const number = document.createElement("span");
  number.className = "kg-search__count";
  number.textContent = numbers.format(count);
  text.append(name, " ", number);
  item.append(box, text);
  return item;
}

function renderFacets(counts) {
  facetsBox.replaceChildren();
  for (const facet of config.facets) {
    if (facet === "district" && !state.filters.country?.size) continue; // districts of the chosen countries
    const chosen = state.filters[facet] || new Set();
    const values = Object.entries(counts[facet] || {})
      .filter(([key, count]) => count > 0 || chosen.has(key))
      .sort((a, b) => b[1] - a[1] || label(facet, a[0]).localeCompare(label(facet, b[0]), config.lang));
    if (!values.length) continue;
    const group = document.createElement("fieldset");
    group.className = "kg-search__facet";
    const legend = document.createElement("legend");
    legend.textContent = config.text[facet];
    const first = document.createElement("ul");
    first.className = "kg-search__options";
    group.append(legend, first);
    values.slice(0, SHOWN_VALUES).forEach(([key, count]) => first.append(option(facet, key, count)));
    if (values.length > SHOWN_VALUES) {
      const more = document.createElement("details");
      const summary = document.createElement("summary");
      summary.textContent = config.text.more;
      const rest = document.createElement("ul");
      rest.className = "kg-search__options";
      values.slice(SHOWN_VALUES).forEach(([key, count]) => rest.append(option(facet, key, count)));
      more.open = values.slice(SHOWN_VALUES).some(([key]) => chosen.has(key));
      more.append(summary, rest);
      group.append(more);
    }
    facetsBox.append(group);
  }
  clearButton.hidden = !Object.keys(state.filters).length;
  if (pendingFocus) {
    // The facets were drawn again: keep the keyboard on the box it was on (or, when the reader asked
    // for the filters, take it to the first of them).
    const target = pendingFocus === facetsBox.id ? facetsBox.querySelector("input") : document.getElementById(pendingFocus);
    target?.focus();
    pendingFocus = "";
  }
}

function pageUrl(meta) {
  const path = meta.url || "";
  if (/^[/\\]|:|\/\//.test(path)) return null; // records hold site paths only: anything else is refused
  const pages = meta.pages ? meta.pages.split(" ") : null;
  return (pages && !pages.includes(config.lang) ? config.defaultBase : config.pageBase) + path;
}

function renderResult(data) {
  const meta = data.meta || {};
  const own = config.lang === config.defaultLang ? "" : "_" + config.lang;
  const href = pageUrl(meta);
  if (href === null) return null;
  const item = document.createElement("li");
  item.className = "kg-search__result";
  if (meta.image) {
    const picture = document.createElement("img");
    picture.src = meta.image;
    picture.alt = meta.image_alt || "";
    picture.loading = "lazy";
    picture.width = 64;
    picture.height = 64;
    picture.className = "kg-search__picture";
    item.append(picture);
  }
  const text = document.createElement("div");
  const link = document.createElement("a");
  link.href = href;
  link.className = "kg-search__title";
  link.textContent = meta["title" + own] || meta.title || href;
  if (own && !meta["title" + own]) link.lang = config.defaultLang; // shown in the default language
  const line = document.createElement("p");
  line.className = "kg-search__line";
  line.textContent = meta["line" + own] || meta.line || "";
  if (own && !meta["line" + own]) line.lang = config.defaultLang;
  text.append(link, line);
  item.append(text);
  return item;
}

// A sorted search.  Pagefind sorts within one index, and merged indexes come back by score, not in the
// sort's order; so each bundle is searched on its own (the `bundle` filter every record carries), sorted,
// and the bundles' lists are merged here by the same sort values (metadata `s_added`, `s_name`, `s_price`).
// Each step reads the next record of each list (its fragment): a page of 20 costs about 20 + bundles reads.
class Merged {
  constructor(lists, key, direction) {
    this.lists = lists;
    this.key = "s_" + key;
    this.ascending = direction === "asc";
    this.next = lists.map(() => 0);
    this.heads = lists.map(() => undefined);
    this.total = lists.reduce((sum, found) => sum + found.length, 0);
  }

  before(a, b) {
    const x = a.meta?.[this.key] || "";
    const y = b.meta?.[this.key] || "";
    return this.ascending ? x < y : x > y;
  }

  async take(count) {
    const out = [];
    while (out.length < count) {
      await Promise.all(this.lists.map(async (found, i) => {
        if (this.heads[i] === undefined && this.next[i] < found.length) {
          this.heads[i] = null; // being read
          this.heads[i] = await found[this.next[i]].data();
        }
      }));
      let best = -1;
      this.heads.forEach((head, i) => {
        if (head && (best < 0 || this.before(head, this.heads[best]))) best = i;
      });
      if (best < 0) break;
      out.push(this.heads[best]);
      this.heads[best] = undefined;
      this.next[best] += 1;
    }
    return out;
  }
}

async function showMore(run) {
  let found;
  if (merged) {
    found = await merged.take(PAGE);
  } else {
    found = await Promise.all(results.slice(shown, shown + PAGE).map((result) => result.data()));
  }
  if (run !== generation) return;
  shown += found.length;
  list.append(...found.map(renderResult).filter(Boolean));
  moreButton.hidden = shown >= (merged ? merged.total : results.length);
}


// Facet counts need every bundle's filter chunks (Pagefind counts only filters it has loaded: 4.7 MB at
// 50,000 artisans): they are loaded when the reader asks for the filters, or arrives with one chosen, and
// then after each search's results are shown, so a query waits only for its words' own chunks.
let filtersLoaded = null;
let filtersWanted = false;

async function counts(pagefind, response) {
  filtersLoaded = filtersLoaded || pagefind.filters();
  await filtersLoaded;
  const words = state.q || config.everything;
  const again = response ? await pagefind.search(words, { filters: pagefindFilters(null) }) : null;
  const found = again ? { ...again.filters } : await pagefind.filters();
  for (const facet of Object.keys(state.filters)) {
    const without = await pagefind.search(words, { filters: pagefindFilters(facet) });
    found[facet] = without.filters[facet] || {};
  }
  return found;
}

async function search() {
  const run = ++generation;
  const anything = state.q || Object.keys(state.filters).length;
  statusLine.textContent = config.text.loading;
  root.setAttribute("data-kg-state", "searching"); // what a test (or a style) can wait for
  let pagefind;
  try {
    pagefind = await loadEngine();
  } catch (error) {
    statusLine.textContent = config.text.failed;
    root.querySelector("[data-kg-browse]").hidden = false; // the listings are the way on
    root.setAttribute("data-kg-state", "failed");
    throw error;
  }
  if (run !== generation) return; // a newer search runs: it shows its own
  let response = null;
  merged = null;
  if (anything) {
    response = await pagefind.search(state.q || config.everything, { filters: pagefindFilters(null) });
    let count = response.results.length;
    if (state.sort) {
      const [key, direction] = config.sorts[state.sort];
      const lists = await Promise.all(config.bundleNames.map((bundle) => pagefind.search(state.q || config.everything, {
        filters: { ...pagefindFilters(null), bundle: { any: [bundle] } }, sort: { [key]: direction },
      })));
      merged = new Merged(lists.map((found) => found.results), key, direction);
      count = merged.total; // a price order lists the priced products only
    }
    if (run !== generation) return;
    results = response.results;
    shown = 0;
    list.replaceChildren();
    statusLine.textContent = count ? fill(config.text.count, { count: numbers.format(count) }) : config.text.none;
    await showMore(run);
    if (run !== generation) return;
  } else {
    results = [];
    shown = 0;
    list.replaceChildren();
    moreButton.hidden = true;
    statusLine.textContent = "";
  }
  if (filtersWanted || Object.keys(state.filters).length) {
    filtersWanted = true;
    showFilters.hidden = true;
    const found = await counts(pagefind, response);
    delete found.bundle; // a filter for sorting, not a facet
    if (run !== generation) return;
    facetsBox.hidden = false;
    renderFacets(found);
  }
  if (run === generation) root.setAttribute("data-kg-state", "done");
}

function update(push) {
  const url = stateUrl(state);
  if (url !== location.pathname + location.search) {
    history[push ? "pushState" : "replaceState"](null, "", url);
  }
  search().catch((error) => console.error("search failed", error));
}

let typingTimer = 0;
input.addEventListener("input", () => {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => {
    state.q = input.value.trim();
    update(false);
  }, 250);
});
input.addEventListener("focus", () => {
  // First use: load Pagefind, and show the facets' counts before anything is typed.
  if (!engine) search().catch((error) => console.error("search failed", error));
}, { once: true });
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typingTimer);
  state.q = input.value.trim();
  update(true);
});
facetsBox.addEventListener("change", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement)) return;
  const values = state.filters[box.name] || new Set();
  if (box.checked) values.add(box.value);
  else values.delete(box.value);
  if (values.size) state.filters[box.name] = values;
  else delete state.filters[box.name];
  if (box.name === "country" && !state.filters.country) delete state.filters.district;
  pendingFocus = box.id;
  update(true);
});
showFilters.addEventListener("click", () => {
  filtersWanted = true;
  showFilters.setAttribute("aria-expanded", "true");
  pendingFocus = "kg-search-facets";
  search().catch((error) => console.error("search failed", error));
});
sortSelect.addEventListener("change", () => {
  state.sort = sortSelect.value in config.sorts ? sortSelect.value : "";
  update(true);
});
clearButton.addEventListener("click", () => {
  state.filters = {};
  update(true);
  input.focus();
});
moreButton.addEventListener("click", () => {
  const first = list.children.length;
  showMore(generation).then(() => list.children[first]?.querySelector("a")?.focus());
});
window.addEventListener("popstate", () => {
  state = readState();
  input.value = state.q;
  sortSelect.value = state.sort;
  search().catch((error) => console.error("search failed", error));
});

input.value = state.q;
sortSelect.value = state.sort;
if (state.q || Object.keys(state.filters).length) {
  search().catch((error) => console.error("search failed", error));
}
