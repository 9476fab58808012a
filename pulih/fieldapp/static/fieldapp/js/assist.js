// ASSIST skip logic, read from the instrument's own data (the same rules as
// pulih/screening/scoring.py: ``ask_if``, ``skip_classes``, ``stop_if_all`` + probe).
const ANSWERED = "answered";
const UNANSWERED = "unanswered";
const SKIPPED = "skipped";

function question(spec, code) {
  return spec.questions.find((q) => q.code === code);
}

function answer(answers, q, cls) {
  let value = answers[q.code];
  if (q.per_class) value = value && typeof value === "object" ? value[cls] : undefined;
  return typeof value === "string" && q.options.some((o) => o.code === value) ? value : null;
}

function matches(cond, code) {
  if (cond.any_of) return cond.any_of.includes(code);
  return !cond.none_of.includes(code);
}

function holds(spec, cond, answers, status, cls) {
  if (!cond) return true;
  const ref = question(spec, cond.question);
  let targets = cls !== null || !ref.per_class ? [cls] : [];
  if (!targets.length) targets = spec.classes.map((c) => c.code);
  let unknown = false;
  for (const target of targets) {
    const st = status.get(`${ref.code}|${target}`) || SKIPPED;
    if (st === SKIPPED) continue;
    if (st === UNANSWERED) {
      unknown = true;
      continue;
    }
    const code = answer(answers, ref, target);
    if (code !== null && matches(cond, code)) return true;
  }
  return unknown ? null : false;
}

// The steps asked given the answers so far: [{key, kind, question, cls, classes}].
export function plan(spec, answers) {
  const status = new Map();
  const steps = [];
  for (const q of spec.questions) {
    if (!q.per_class) {
      const h = holds(spec, q.ask_if, answers, status, null);
      if (h === false) {
        status.set(`${q.code}|null`, SKIPPED);
        continue;
      }
      status.set(`${q.code}|null`, answer(answers, q, null) ? ANSWERED : UNANSWERED);
      steps.push({ key: q.code, kind: "question", question: q, cls: null });
      continue;
    }
    const targets = [];
    for (const c of spec.classes) {
      const skip = (q.skip_classes || []).includes(c.code);
      const h = skip ? null : holds(spec, q.ask_if, answers, status, c.code);
      if (skip || h === false) {
        status.set(`${q.code}|${c.code}`, SKIPPED);
        continue;
      }
      status.set(`${q.code}|${c.code}`, answer(answers, q, c.code) ? ANSWERED : UNANSWERED);
      targets.push(c.code);
    }
    if (!targets.length) continue;
    if (q.layout === "checklist") {
      steps.push({ key: q.code, kind: "checklist", question: q, classes: targets });
      const given = targets.map((c) => answer(answers, q, c));
      if (q.stop_if_all && given.every((g) => g === q.stop_if_all)) {
        if (q.probe) steps.push({ key: `${q.code}-probe`, kind: "probe", question: q, classes: targets });
        return { steps, ended: true };
      }
    } else {
      for (const c of targets) steps.push({ key: `${q.code}-${c}`, kind: "question", question: q, cls: c });
    }
  }
  return { steps, ended: false };
}

export function complete(spec, answers) {
  return plan(spec, answers).steps.every((s) => {
    if (s.kind === "probe") return true;
    if (s.kind === "checklist") return s.classes.every((c) => answer(answers, s.question, c) !== null);
    return answer(answers, s.question, s.cls) !== null;
  });
}

export function text(value, lang) {
  if (!value) return "";
  return value[lang] || value.id || "";
}
