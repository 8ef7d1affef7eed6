// Deadline calculator on the catalog page: asks /api/calendar/due/ and shows the answer.
// Plain script, no external code: court networks are closed.
(function () {
  "use strict";
  const form = document.getElementById("due-form");
  if (!form) return;
  const result = document.getElementById("due-result");
  const lang = document.documentElement.lang || "zh-CN";

  function clearErrors() {
    form.querySelectorAll(".field-error").forEach((el) => { el.textContent = ""; });
  }

  function offsetInstant(local) {
    // The input has no zone: it is Beijing time, which the API assumes for a bare instant.
    return local.length === 16 ? local + ":00" : local;
  }

  function show(text, cls) {
    result.replaceChildren();
    const p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    result.appendChild(p);
    return p;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors();
    const params = new URLSearchParams({
      anchor: offsetInstant(form.anchor.value),
      amount: form.amount.value,
      unit: form.unit.value,
      custody: form.custody.checked ? "true" : "false",
    });
    let response;
    try {
      response = await fetch(form.dataset.api + "?" + params.toString(), {
        headers: { Accept: "application/json", "Accept-Language": lang },
        credentials: "same-origin",
      });
    } catch (err) {
      show(String(err), "form-error");
      return;
    }
    const body = await response.json();
    if (!response.ok) {
      const detail = body.detail || {};
      let placed = false;
      for (const [field, messages] of Object.entries(detail)) {
        const slot = document.getElementById("due-" + field + "-error");
        if (slot) {
          slot.textContent = [].concat(messages).join(" ");
          placed = true;
        }
      }
      if (!placed) show(body.message || response.statusText, "form-error");
      else result.replaceChildren();
      return;
    }
    result.replaceChildren();
    const due = document.createElement("p");
    due.className = "due-answer";
    const when = new Date(body.due_at);
    const lastDay = body.last_day ? body.last_day + " 24:00" : when.toLocaleString(lang, { timeZone: "Asia/Shanghai" });
    due.textContent = (form.dataset.dueLabel || "") + lastDay;
    due.setAttribute("data-due-at", body.due_at);
    result.appendChild(due);
    if (body.provisional) {
      const warn = document.createElement("p");
      warn.className = "badge warn";
      warn.textContent = form.dataset.provisionalLabel || "provisional";
      result.appendChild(warn);
    }
    const list = document.createElement("ol");
    list.className = "explanation";
    for (const line of body.explanation) {
      const li = document.createElement("li");
      li.textContent = line;
      list.appendChild(li);
    }
    result.appendChild(list);
  });
})();
