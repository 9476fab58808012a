// A small form builder: each screen lists its fields as data.
import { h } from "./ui.js";
import { t } from "./i18n.js";
import { state } from "./store.js";

export function choices(name) {
  const ref = state.reference;
  return (ref && ref.choices && ref.choices[name]) || [];
}

function input(field, value) {
  const common = { name: field.name, id: `f-${field.name}`, "data-testid": `field-${field.name}`, required: field.required || null };
  switch (field.type) {
    case "textarea":
      return h("textarea", { ...common, rows: 3 }, value ?? "");
    case "select": {
      const opts = typeof field.choices === "string" ? choices(field.choices) : field.choices || [];
      return h(
        "select",
        common,
        h("option", { value: "" }, t("choose")),
        opts.map((o) => h("option", { value: o.value, selected: String(o.value) === String(value ?? "") }, o.label))
      );
    }
    case "check":
      return h("input", { ...common, type: "checkbox", checked: Boolean(value) });
    case "multi": {
      const opts = field.choices || [];
      const chosen = new Set((value || []).map(String));
      return h(
        "fieldset",
        { class: "multi", id: `f-${field.name}`, "data-testid": `field-${field.name}` },
        opts.map((o) =>
          h("label", { class: "check" }, h("input", { type: "checkbox", name: field.name, value: o.value, checked: chosen.has(String(o.value)) }), " ", o.label)
        )
      );
    }
    default:
      return h("input", { ...common, type: field.type || "text", value: value ?? "", inputmode: field.inputmode || null, step: field.step || null });
  }
}

// Returns {el, read}; read() gives the values or null after marking missing fields.
export function form(fields, initial = {}, { submit, onSubmit, extra = [] } = {}) {
  const rows = fields.map((field) =>
    field.type === "check"
      ? h("div", { class: "field field--check" }, h("label", {}, input(field, initial[field.name]), " ", field.label))
      : h("div", { class: "field" }, h("label", { for: `f-${field.name}` }, field.label, field.required ? " *" : ""), input(field, initial[field.name]))
  );
  const el = h("form", { class: "form", novalidate: true }, rows, extra, h("div", { class: "field-errors", "data-testid": "form-errors" }), h("button", { class: "btn", type: "submit", "data-testid": "form-submit" }, submit || t("save")));
  function read() {
    const out = {};
    const missing = [];
    for (const field of fields) {
      if (field.type === "multi") {
        out[field.name] = Array.from(el.querySelectorAll(`input[name="${field.name}"]:checked`)).map((i) => i.value);
        if (field.required && !out[field.name].length) missing.push(field.label);
        continue;
      }
      const node = el.elements[field.name];
      let value = field.type === "check" ? node.checked : node.value.trim();
      if (field.type === "number") value = value === "" ? null : Number(value);
      if (field.required && (value === "" || value === null)) missing.push(field.label);
      out[field.name] = value;
    }
    const box = el.querySelector("[data-testid=form-errors]");
    box.replaceChildren(...missing.map((m) => h("p", { class: "error" }, `${m}: ${t("required")}`)));
    return missing.length ? null : out;
  }
  el.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = read();
    if (values && onSubmit) await onSubmit(values);
  });
  return { el, read };
}
