// Typing "@" in a text that takes mentions (a textarea with data-mentions, the address of the
// people who may see the item) offers those people in a list: arrow keys move, Enter or Tab
// picks, Escape closes, and a click works too. Without this script, "@Full Name" and "@email"
// still work: the server resolves them when the text is saved.
(function () {
  "use strict";
  const MAX_SHOWN = 8;
  let counter = 0;

  function enhance(area) {
    const list = document.createElement("ul");
    list.id = `mentions-${++counter}`;
    list.className = "mention-choices";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    area.insertAdjacentElement("afterend", list);
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-controls", list.id);
    let people = null, shown = [], active = -1, start = -1;

    function address() {
      const url = new URL(area.dataset.mentions, window.location.href);
      const privateBox = area.form && area.form.querySelector("input[name=private]");
      if (privateBox && privateBox.checked) url.searchParams.set("private", "1");
      return url;
    }

    async function load() {
      const response = await fetch(address(), {headers: {Accept: "application/json"},
                                               credentials: "same-origin"});
      return response.ok ? response.json() : [];
    }

    function close() {
      list.hidden = true;
      list.replaceChildren();
      shown = [];
      active = -1;
      area.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      [...list.children].forEach((item, i) => item.setAttribute("aria-selected", String(i === index)));
      if (index >= 0) area.setAttribute("aria-activedescendant", list.children[index].id);
    }

    function pick(person) {
      const before = area.value.slice(0, start);
      const after = area.value.slice(area.selectionStart);
      const inserted = `@${person.name} `;
      area.value = before + inserted + after;
      const caret = before.length + inserted.length;
      area.setSelectionRange(caret, caret);
      close();
      area.focus();
    }

    // The "@word" just before the caret, if the caret is in one.
    function typedQuery() {
      const upToCaret = area.value.slice(0, area.selectionStart);
      const match = /(^|[^\w@.])@([^@\n]{0,40})$/.exec(upToCaret);
      if (!match) return null;
      start = upToCaret.length - match[2].length - 1;
      return match[2].toLowerCase();
    }

    async function update() {
      const query = typedQuery();
      if (query === null) return close();
      if (people === null) people = await load();
      shown = people.filter((p) => p.name.toLowerCase().includes(query) ||
                                   (p.email || "").toLowerCase().startsWith(query))
                    .slice(0, MAX_SHOWN);
      if (!shown.length) return close();
      list.replaceChildren(...shown.map((person, i) => {
        const item = document.createElement("li");
        item.id = `${list.id}-${i}`;
        item.setAttribute("role", "option");
        item.textContent = person.name;
        item.addEventListener("mousedown", (event) => { event.preventDefault(); pick(person); });
        return item;
      }));
      list.hidden = false;
      highlight(0);
    }

    area.addEventListener("input", update);
    area.addEventListener("blur", () => setTimeout(close, 100));
    area.addEventListener("keydown", (event) => {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : shown.length - 1;
        highlight((active + step) % shown.length);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        pick(shown[active]);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
  }

  document.querySelectorAll("textarea[data-mentions]").forEach(enhance);
})();
