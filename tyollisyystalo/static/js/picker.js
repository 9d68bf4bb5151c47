// Searchable pickers: a <select data-picker-url> becomes a combobox (WAI-ARIA 1.2, editable
// combobox with list autocomplete). Keyboard navigation and aria-activedescendant come from the
// vendored @github/combobox-nav; this file adds what it leaves to its user: the input in the
// select's place, the listbox, the search against /valitsimet/<source>/, the live region, and
// the select's value (which is what the form submits). Without JavaScript the select and the
// server-side search step work as they are. No inline code: the page's CSP stays strict.
import Combobox from "../vendor/combobox-nav/index.js";

const DELAY_MS = 200;
let counter = 0;

function text(select, name, values) {
  let template = select.dataset[name] || "";
  for (const [key, value] of Object.entries(values || {})) {
    template = template.replace(`%(${key})s`, value);
  }
  return template;
}

function optionFor(select, value) {
  return Array.from(select.options).find((option) => option.value === value);
}

function chosenLabel(select) {
  const option = select.selectedOptions[0];
  return option && option.value ? option.textContent.trim() : "";
}

function localMatches(select, query) {
  const fold = (s) => s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const words = fold(query).split(/\s+/).filter(Boolean);
  return Array.from(select.options)
    .filter((o) => o.value && words.every((w) => fold(o.textContent).includes(w)))
    .slice(0, 20)
    .map((o) => ({ value: o.value, label: o.textContent.trim(), detail: "" }));
}

function enhance(select) {
  counter += 1;
  const id = select.id || `picker-${counter}`;
  const listId = `${id}-listbox`;
  const wrapper = document.createElement("div");
  wrapper.className = "picker";
  const input = document.createElement("input");
  input.type = "text";
  input.id = id; // the field's <label for> now names the combobox
  input.className = "picker-input";
  input.autocomplete = "off";
  input.spellcheck = false;
  input.setAttribute("aria-autocomplete", "list");
  for (const name of ["aria-describedby", "aria-invalid"]) {
    if (select.hasAttribute(name)) input.setAttribute(name, select.getAttribute(name));
  }
  if (select.required) input.setAttribute("aria-required", "true");
  input.value = chosenLabel(select);
  const list = document.createElement("ul");
  list.id = listId;
  list.className = "picker-list";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  const label = document.querySelector(`label[for="${id}"]`);
  if (label) {
    label.id = label.id || `${id}-label`;
    list.setAttribute("aria-labelledby", label.id);
  }
  const status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  status.id = `${id}-status`;

  select.id = `${id}-select`;
  select.hidden = true;
  select.after(wrapper);
  wrapper.append(input, list, status);

  const combobox = new Combobox(input, list, { tabInsertsSuggestions: true });
  const complete = select.dataset.pickerComplete === "true";
  let timer = 0;
  let asked = 0;

  function open() {
    if (!list.hidden) return;
    list.hidden = false;
    combobox.start();
  }

  function close() {
    if (list.hidden) return;
    combobox.stop();
    list.hidden = true;
  }

  function announce(message) {
    status.textContent = message;
  }

  function show(results) {
    list.replaceChildren();
    results.forEach((result, n) => {
      const item = document.createElement("li");
      item.id = `${listId}-${n}`;
      item.setAttribute("role", "option");
      item.dataset.value = result.value;
      item.dataset.label = result.label;
      item.textContent = result.label;
      if (result.detail) {
        const detail = document.createElement("span");
        detail.className = "picker-detail";
        detail.textContent = result.detail;
        item.append(detail);
      }
      list.append(item);
    });
    if (results.length) {
      open();
      combobox.clearSelection();
    } else {
      close();
    }
    const n = results.length;
    announce(
      n === 0
        ? text(select, "pickerNone")
        : text(select, n === 1 ? "pickerOne" : "pickerMany", { n: String(n) }),
    );
  }

  async function search(query) {
    const mine = ++asked;
    let results;
    try {
      const url = `${select.dataset.pickerUrl}?q=${encodeURIComponent(query)}`;
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(String(response.status));
      results = (await response.json()).results;
      // The select lists what this form offers (perhaps fewer than the source): keep those.
      if (complete) results = results.filter((r) => optionFor(select, r.value));
    } catch {
      results = complete ? localMatches(select, query) : [];
    }
    if (mine === asked) show(results);
  }

  function choose(item) {
    const value = item.dataset.value;
    let option = optionFor(select, value);
    if (!option) {
      option = new Option(item.dataset.label, value);
      select.add(option);
    }
    select.value = value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    input.value = item.dataset.label;
    close();
    announce(text(select, "pickerChosen", { label: item.dataset.label }));
  }

  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    const query = input.value.trim();
    if (!query) {
      select.value = "";
      close();
      announce("");
      return;
    }
    timer = window.setTimeout(() => search(query), DELAY_MS);
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      if (!list.hidden) {
        close();
      } else if (input.value) {
        input.value = "";
        select.value = "";
      }
      event.preventDefault();
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && list.hidden) {
      // Closed: open the list (with every option, or matches for what is typed).
      event.preventDefault();
      search(input.value.trim() === chosenLabel(select) ? "" : input.value.trim());
    }
  });

  list.addEventListener("combobox-commit", (event) => {
    const item = event.target.closest('[role="option"]');
    if (item) choose(item);
  });

  // Options are chosen with the mouse too: keep the input's focus while clicking.
  list.addEventListener("mousedown", (event) => event.preventDefault());

  input.addEventListener("blur", () => {
    close();
    // What is shown is what the form sends: a text not chosen from the list goes back to the
    // chosen option's name, or stays empty when none is chosen.
    if (!input.value.trim()) select.value = "";
    input.value = chosenLabel(select);
  });

  // The search step for pages without JavaScript is not needed now.
  for (const step of document.querySelectorAll(`[data-picker-step="${id}"]`)) step.remove();
}

for (const select of document.querySelectorAll("select[data-picker-url]")) {
  if (!select.dataset.pickerReady) {
    select.dataset.pickerReady = "true";
    enhance(select);
  }
}
