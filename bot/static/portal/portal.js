/* Staff portal of the Wlz-wegwijzer. Plain JavaScript on the staff JSON API.
 * Every text from the server is inserted with textContent, never as HTML. */
(function () {
  "use strict";

  var API = "/staff/api";
  var main = document.getElementById("main");
  var statusRegion = document.getElementById("status");
  var me = null;
  var topics = {};
  var liveSource = null;
  var presenceTimer = null;

  var STATUS = { nieuw: "Nieuw", in_behandeling: "In behandeling", afgerond: "Afgerond", doorverwezen: "Doorverwezen" };
  var TARGET = { zorgkantoor: "Zorgkantoor", oco: "Onafhankelijke cliëntondersteuning" };
  var METHOD = { telefoon: "Terugbellen", email: "E-mail", chat: "Chat nu" };
  // An OCO handoff without an organisation ("Maakt niet uit", or no directory): an adviser
  // of the zorgkantoor contacts the person and refers on.
  function targetText(row) {
    if (row.organisation) { return TARGET[row.target] + " – " + row.organisation; }
    return TARGET[row.target] + (row.target === "oco" ? " – geen organisatie gekozen, zorgkantoor verwijst door" : "");
  }
  var SENDER = { user: "Inwoner", bot: "Assistent", staff: "Medewerker", system: "Melding" };
  var SIGNAL = {
    urgent: "Urgent", wens_pgb: "Wil een pgb", weet_niet_welke_vorm: "Weet niet welke vorm",
    geen_voorkeursaanbieder: "Geen voorkeursaanbieder", aanbieder_kan_niet: "Aanbieder kan vorm niet leveren",
    geen_plek_voorkeur: "Geen plek bij voorkeur", wacht_te_lang: "Wacht langer dan de norm"
  };
  var RELATION = { zelf: "de persoon zelf", moeder: "moeder", vader: "vader", ouders: "ouders", partner: "partner",
    kind: "kind", broer: "broer", zus: "zus", grootouder: "opa of oma", familielid: "familielid", buur: "buren" };

  // -- small helpers --------------------------------------------------------------------
  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "text") node.textContent = value;
      else if (key === "on") Object.keys(value).forEach(function (ev) { node.addEventListener(ev, value[ev]); });
      else if (key in node && key !== "list") node[key] = value;
      else node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function say(text) { statusRegion.textContent = ""; setTimeout(function () { statusRegion.textContent = text; }, 50); }

  function api(method, path, body) {
    var headers = { "Accept": "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET" && me) headers["X-CSRF-Token"] = me.csrf_token;
    return fetch(API + path, { method: method, headers: headers, credentials: "same-origin",
                              body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (response) {
        var type = response.headers.get("content-type") || "";
        var read = type.indexOf("json") >= 0 ? response.json() : response.text();
        return read.then(function (data) {
          if (response.status === 401 && path !== "/login") { me = null; show(); }
          if (!response.ok) {
            var detail = data && data.detail;
            throw new Error(typeof detail === "string" ? detail : "Er ging iets mis. Probeer het opnieuw.");
          }
          return data;
        });
      });
  }

  function page(title, children) {
    main.textContent = "";
    document.title = title + " – Wlz-wegwijzer";
    main.appendChild(h("h1", { text: title }));
    children.forEach(function (child) { if (child) main.appendChild(child); });
    main.focus();
  }

  function errorBox() { return h("p", { className: "error", role: "alert" }); }

  function fail(box) { return function (error) { box.textContent = error.message; }; }

  // a table that may scroll sideways on a phone: reachable and labelled for keyboard users
  function scrollBox(children) {
    return h("div", { className: "table-wrap", tabIndex: 0, role: "region", "aria-label": "Tabel, schuif opzij voor meer" },
             children);
  }

  function badge(text, kind) { return h("span", { className: "badge " + (kind || ""), text: text }); }

  function topicTitle(name) { return (topics[name] && topics[name].title) || name; }

  function when(iso) {
    var date = new Date(iso);
    return date.toLocaleString("nl-NL", { dateStyle: "short", timeStyle: "short" });
  }

  function markNav() {
    var here = location.hash || "#/";
    Array.prototype.forEach.call(document.querySelectorAll("nav a"), function (a) {
      var current = a.getAttribute("href") === here ||
        (a.getAttribute("href") === "#/" && here.indexOf("#/overdracht/") === 0);
      if (current) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
  }

  // -- signing in -----------------------------------------------------------------------
  function loginPage() {
    document.getElementById("nav").hidden = true;
    var box = errorBox();
    var user = h("input", { id: "username", name: "username", autocomplete: "username", required: true });
    var pass = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password",
                            required: true });
    var form = h("form", { className: "card login", on: { submit: function (event) {
      event.preventDefault();
      box.textContent = "";
      api("POST", "/login", { username: user.value, password: pass.value }).then(function (data) {
        me = data;
        pass.value = "";
        start();
      }).catch(fail(box));
    } } }, [
      h("label", { htmlFor: "username", text: "Gebruikersnaam" }), user,
      h("label", { htmlFor: "password", text: "Wachtwoord" }), pass,
      h("p", {}, [h("button", { type: "submit", text: "Inloggen" })]), box
    ]);
    page("Inloggen", [form]);
  }

  function start() {
    api("GET", "/me").then(function (data) {
      me = data;
      document.getElementById("nav").hidden = false;
      document.getElementById("who").textContent = data.name + " (" + data.role + ")";
      document.getElementById("nav-admin").hidden = data.role !== "beheerder";
      document.getElementById("presence-wrap").hidden = data.role === "oco";
      return api("GET", "/intents");
    }).then(function (data) {
      topics = {};
      data.intents.forEach(function (i) { topics[i.name] = i; });
      show();
    }).catch(function () { loginPage(); });
  }

  // -- the queue ------------------------------------------------------------------------
  function queuePage() {
    var filters = { status: "", target: "", max_age_days: "" };
    var box = errorBox();
    var counts = h("ul", { className: "counts", "aria-label": "Aantallen per status" });
    var tableBody = h("tbody");
    function select(id, label, options, key) {
      var node = h("select", { id: id, on: { change: function () { filters[key] = node.value; load(); } } },
        options.map(function (o) { return h("option", { value: o[0], text: o[1] }); }));
      return h("div", {}, [h("label", { htmlFor: id, text: label }), node]);
    }
    function load() {
      var query = Object.keys(filters).filter(function (k) { return filters[k]; })
        .map(function (k) { return k + "=" + encodeURIComponent(filters[k]); }).join("&");
      api("GET", "/handoffs" + (query ? "?" + query : "")).then(function (data) {
        counts.textContent = "";
        Object.keys(STATUS).forEach(function (s) {
          counts.appendChild(h("li", { text: STATUS[s] + ": " + data.counts[s] }));
        });
        tableBody.textContent = "";
        if (!data.handoffs.length) {
          tableBody.appendChild(h("tr", {}, [h("td", { colSpan: 7, text: "Geen overdrachten met deze filters." })]));
        }
        data.handoffs.forEach(function (row) {
          tableBody.appendChild(h("tr", { className: row.crisis ? "urgent-row" : "" }, [
            h("td", {}, [h("a", { href: "#/overdracht/" + row.reference, text: row.reference })]
              .concat(row.crisis ? [" ", badge("Spoed: " + row.crisis.label, "crisis")] : [])),
            h("td", {}, [badge(STATUS[row.status], "status-" + row.status)]),
            h("td", { text: targetText(row) }),
            h("td", { text: row.topics.map(topicTitle).join(", ") || "–" }),
            h("td", {}, row.signals.map(function (s) { return badge(SIGNAL[s] || s, "signal"); })),
            h("td", { text: METHOD[row.contact_method] || row.contact_method }),
            h("td", { text: row.age_days === 0 ? "vandaag" : row.age_days + " dagen" })
          ]));
        });
        say(data.handoffs.length + " overdrachten gevonden.");
      }).catch(fail(box));
    }
    page("Overdrachten", [
      h("div", { className: "filters card" }, [
        select("f-status", "Status", [["", "Alle"], ["nieuw", "Nieuw"], ["in_behandeling", "In behandeling"],
          ["afgerond", "Afgerond"], ["doorverwezen", "Doorverwezen"]], "status"),
        select("f-target", "Soort", [["", "Alle"], ["zorgkantoor", "Zorgkantoor"], ["oco", "Cliëntondersteuning"]],
          "target"),
        select("f-age", "Leeftijd", [["", "Alle"], ["1", "Vandaag en gisteren"], ["7", "Laatste week"],
          ["30", "Laatste maand"]], "max_age_days")
      ]),
      counts, box,
      scrollBox([h("table", {}, [
        h("caption", { className: "visually-hidden", text: "Overdrachten: spoed eerst, daarna nieuwste eerst" }),
        h("thead", {}, [h("tr", {}, ["Referentie", "Status", "Naar", "Onderwerpen", "Signalen", "Contact", "Leeftijd"]
          .map(function (t) { return h("th", { scope: "col", text: t }); }))]),
        tableBody])])
    ]);
    load();
  }

  // -- one handoff ----------------------------------------------------------------------
  function handoffPage(reference) {
    var box = errorBox();
    page("Overdracht " + reference, [box]);
    api("GET", "/handoffs/" + encodeURIComponent(reference)).then(function (d) {
      renderHandoff(d);
    }).catch(fail(box));
  }

  function renderHandoff(d) {
    var box = errorBox();
    var reload = function () { handoffPage(d.reference); };
    var summary = h("section", { className: "card", "aria-labelledby": "h-summary" }, [
      h("h2", { id: "h-summary", text: "Samenvatting" }),
      h("dl", {}, (d.crisis ? [
        h("dt", { text: "Spoed" }), h("dd", {}, [badge(d.crisis.label, "crisis"),
          " De assistent gaf de noodnummers voor deze situatie. Neem zo snel mogelijk contact op."])
      ] : []).concat([
        h("dt", { text: "Status" }), h("dd", {}, [badge(STATUS[d.status], "status-" + d.status)]),
        h("dt", { text: "Naar" }), h("dd", { text: targetText(d) }),
        h("dt", { text: "Over wie" }), h("dd", { text: d.for_whom ? (RELATION[d.for_whom] || d.for_whom) : "Onbekend" }),
        h("dt", { text: "Onderwerpen" }), h("dd", { text: d.topics.map(topicTitle).join(", ") || "–" }),
        h("dt", { text: "Signalen" }), h("dd", {}, d.signals.length ? d.signals.map(function (s) {
          return badge(SIGNAL[s] || s, "signal"); }) : ["Geen"]),
        h("dt", { text: "Niet beantwoord" }), h("dd", { text: (d.summary.unanswered || []).join(" · ") || "–" }),
        h("dt", { text: "Contact" }), h("dd", { text: (METHOD[d.contact_method] || d.contact_method) +
          (d.part_of_day ? ", " + d.part_of_day : "") }),
        h("dt", { text: "Binnengekomen" }), h("dd", { text: when(d.created_at) })
      ]))
    ]);

    var contactOut = h("p", { className: "text" });
    var contact = h("section", { className: "card", "aria-labelledby": "h-contact" }, [
      h("h2", { id: "h-contact", text: "Contactgegevens" }),
      h("p", { className: "muted", text: "Bekijk contactgegevens alleen als u contact gaat opnemen. Dit wordt vastgelegd." }),
      h("button", { type: "button", className: "secondary", text: "Toon contactgegevens", on: { click: function () {
        api("POST", "/handoffs/" + d.reference + "/contact").then(function (c) {
          contactOut.textContent = [c.phone && "Telefoon: " + c.phone, c.email && "E-mail: " + c.email]
            .filter(Boolean).join("\n") || "Geen contactgegevens (chat).";
          say("Contactgegevens getoond.");
        }).catch(fail(box));
      } } }), contactOut
    ]);

    var actions = h("section", { className: "card", "aria-labelledby": "h-actions" }, [
      h("h2", { id: "h-actions", text: "Behandeling" }),
      h("p", {}, d.next_statuses.map(function (s) {
        return h("button", { type: "button", className: "secondary", text: "Zet op: " + STATUS[s],
          on: { click: function () {
            api("POST", "/handoffs/" + d.reference + "/status", { status: s }).then(function () {
              say("Status gewijzigd naar " + STATUS[s] + "."); reload(); }).catch(fail(box));
          } } });
      }).concat([h("button", { type: "button", className: "secondary", text: "Wijs aan mij toe",
        on: { click: function () { api("POST", "/handoffs/" + d.reference + "/assign", {}).then(function () {
          say("Aan u toegewezen."); reload(); }).catch(fail(box)); } } })]))
    ]);

    var plan = d.plan ? h("section", { className: "card", "aria-labelledby": "h-plan" }, [
      h("h2", { id: "h-plan", text: "Persoonlijk plan" }),
      h("dl", {}, Object.keys(d.plan.answers).reduce(function (list, key) {
        list.push(h("dt", { text: d.plan.labels[key] || key }));
        list.push(h("dd", { className: "text", text: d.plan.answers[key] || "Niet ingevuld" }));
        return list;
      }, []))
    ]) : null;

    var transcript = h("ol", { className: "transcript", "aria-label": "Gesprek met de assistent" });
    d.transcript.forEach(function (m) { transcript.appendChild(transcriptLine(m, box)); });

    var noteText = h("textarea", { id: "note", rows: 3, cols: 40 });
    var notes = h("section", { className: "card", "aria-labelledby": "h-notes" }, [
      h("h2", { id: "h-notes", text: "Notities" }),
      h("ul", {}, d.notes.map(function (n) {
        return h("li", {}, [h("span", { className: "muted", text: when(n.at) + " – " + (n.author || "?") + ": " }),
          h("span", { className: "text", text: n.text })]);
      })),
      h("form", { on: { submit: function (event) {
        event.preventDefault();
        api("POST", "/handoffs/" + d.reference + "/notes", { text: noteText.value }).then(function () {
          say("Notitie opgeslagen."); reload(); }).catch(fail(box));
      } } }, [h("label", { htmlFor: "note", text: "Nieuwe notitie" }), noteText,
        h("p", {}, [h("button", { type: "submit", text: "Notitie opslaan" })])])
    ]);

    page("Overdracht " + d.reference, [
      h("p", {}, [h("a", { href: "#/", text: "← Terug naar alle overdrachten" })]), box,
      h("div", { className: "grid" }, [summary, h("div", {}, [actions, contact])]),
      livePanel(d, box), plan,
      h("section", { className: "card", "aria-labelledby": "h-transcript" }, [
        h("h2", { id: "h-transcript", text: "Gesprek (persoonsgegevens weggelaten)" }), transcript]),
      notes
    ]);
  }

  // A button press reaches the bot as "/intent{...}": show the adviser what was chosen.
  function readable(m) {
    var payload = m.sender === "user" && /^\/([a-z_]+)/.exec(m.text);
    if (!payload) { return { text: m.text, typed: m.sender === "user" && m.text.charAt(0) !== "[" }; }
    if (payload[1] === "greet") { return { text: "(opende de chat)", typed: false }; }
    return { text: "(koos: " + topicTitle(payload[1]) + ")", typed: false };
  }

  function transcriptLine(m, box) {
    var shown = readable(m);
    var line = h("li", { className: "from-" + m.sender }, [
      h("span", { className: "who", text: SENDER[m.sender] || m.sender }),
      h("span", { className: "text", text: shown.text })
    ]);
    if (shown.typed) {  // only typed words can be misunderstood
      var choose = h("select", { "aria-label": "Juiste onderwerp voor dit bericht" },
        [h("option", { value: "", text: "Kies het juiste onderwerp…" })].concat(Object.keys(topics).map(function (k) {
          return h("option", { value: k, text: topics[k].title, selected: m.corrected_intent === k });
        })));
      var mark = h("details", {}, [
        h("summary", { text: m.corrected_intent ? "Gemarkeerd: " + topicTitle(m.corrected_intent) : "Niet goed begrepen?" }),
        choose,
        h("button", { type: "button", className: "secondary", text: "Opslaan", on: { click: function () {
          api("POST", "/messages/" + m.id + "/correction", { intent: choose.value || null }).then(function () {
            say("Correctie opgeslagen. Die gaat mee in de volgende training.");
            mark.querySelector("summary").textContent = choose.value ?
              "Gemarkeerd: " + topicTitle(choose.value) : "Niet goed begrepen?";
          }).catch(fail(box));
        } } })
      ]);
      line.appendChild(mark);
    }
    return line;
  }

  function livePanel(d, box) {
    var log = h("ol", { className: "live-log", "aria-live": "polite", "aria-label": "Live gesprek" });
    var input = h("textarea", { id: "live-text", rows: 2, cols: 40 });
    var human = d.mode === "human";
    function add(who, text) {
      log.appendChild(h("li", {}, [h("span", { className: "who", text: who + ": " }), h("span", { className: "text", text: text })]));
      log.scrollTop = log.scrollHeight;
    }
    function listen() {
      if (liveSource) liveSource.close();
      liveSource = new EventSource(API + "/handoffs/" + d.reference + "/events");
      liveSource.onmessage = function (event) {
        var data = JSON.parse(event.data);
        if (data.text) add(data.crisis ? "Inwoner (SPOED, de assistent gaf de hulplijn)" : "Inwoner", data.text);
      };
    }
    var panel = h("section", { className: "card" + (human ? " live" : ""), "aria-labelledby": "h-live" }, [
      h("h2", { id: "h-live", text: human ? "Live gesprek: u praat nu met de inwoner" : "Live gesprek" }),
      human ? null : h("p", { className: "muted", text: "Neem het gesprek over om nu met de inwoner te chatten. De assistent zwijgt dan." }),
      h("p", {}, [human ?
        h("button", { type: "button", className: "danger", text: "Geef terug aan de assistent", on: { click: function () {
          api("POST", "/handoffs/" + d.reference + "/release").then(function () {
            if (liveSource) liveSource.close();
            say("Het gesprek is teruggegeven aan de assistent."); handoffPage(d.reference);
          }).catch(fail(box)); } } }) :
        h("button", { type: "button", text: "Neem gesprek over", on: { click: function () {
          api("POST", "/handoffs/" + d.reference + "/takeover").then(function () {
            say("U heeft het gesprek overgenomen."); handoffPage(d.reference);
          }).catch(fail(box)); } } })]),
      human ? log : null,
      human ? h("form", { on: { submit: function (event) {
        event.preventDefault();
        var text = input.value.trim();
        if (!text) return;
        api("POST", "/handoffs/" + d.reference + "/messages", { text: text }).then(function () {
          add("U", text); input.value = ""; input.focus();
        }).catch(fail(box));
      } } }, [h("label", { htmlFor: "live-text", text: "Bericht aan de inwoner" }), input,
        h("p", {}, [h("button", { type: "submit", text: "Verstuur" })])]) : null
    ]);
    if (human) listen();
    return panel;
  }

  // -- figures --------------------------------------------------------------------------
  function figuresPage() {
    var box = errorBox();
    var body = h("tbody");
    page("Cijfers per week", [
      h("p", { className: "muted", text: "Alleen aantallen, zonder teksten of namen. Gebruik ze voor de zorginkoop en om de assistent te verbeteren." }),
      box, scrollBox([h("table", {}, [
        h("thead", {}, [h("tr", {}, ["Week", "Vragen", "Niet begrepen", "Meest gevraagd", "Overdrachten",
          "Actief benaderen", "Crisis (noodnummers gegeven)"].map(function (t) {
            return h("th", { scope: "col", text: t }); }))]), body])])
    ]);
    api("GET", "/dashboard?weeks=12").then(function (data) {
      if (!data.weeks.length) body.appendChild(h("tr", {}, [h("td", { colSpan: 7, text: "Nog geen gesprekken." })]));
      var labels = data.crisis_labels || {};
      data.weeks.forEach(function (w) {
        body.appendChild(h("tr", {}, [
          h("td", { text: w.week }), h("td", { text: String(w.messages) }),
          h("td", { text: Math.round(w.fallback_rate * 100) + "%" }),
          h("td", { text: w.topics.slice(0, 5).map(function (t) { return topicTitle(t[0]) + " (" + t[1] + ")"; }).join(", ") || "–" }),
          h("td", { text: Object.keys(w.handoffs).map(function (k) { return TARGET[k] + ": " + w.handoffs[k]; }).join(", ") || "0" }),
          h("td", { text: String(w.active_approach) }),
          h("td", { text: Object.keys(w.crisis || {}).map(function (k) {
            return (labels[k] || k) + ": " + w.crisis[k]; }).join(", ") || "0" })
        ]));
      });
    }).catch(fail(box));
  }

  // -- beheer ---------------------------------------------------------------------------
  function adminPage() {
    var box = errorBox();
    var settingsForm = h("form", { className: "card" });
    var users = h("tbody");
    var organisations = h("tbody");
    page("Beheer", [box,
      h("section", { "aria-labelledby": "h-settings" }, [h("h2", { id: "h-settings", text: "Contactgegevens en openingstijden" }), settingsForm]),
      h("section", { "aria-labelledby": "h-users" }, [h("h2", { id: "h-users", text: "Medewerkers" }),
        scrollBox([h("table", {}, [h("thead", {}, [h("tr", {}, ["Gebruikersnaam", "Naam", "Rol", "Actief", ""]
          .map(function (t) { return h("th", { scope: "col", text: t }); }))]), users])]), newUserForm(box)]),
      h("section", { "aria-labelledby": "h-orgs" }, [h("h2", { id: "h-orgs", text: "Organisaties voor cliëntondersteuning" }),
        scrollBox([h("table", {}, [h("thead", {}, [h("tr", {}, ["Naam", "Regio's", "Telefoon", "Actief"]
          .map(function (t) { return h("th", { scope: "col", text: t }); }))]), organisations])])])
    ]);
    api("GET", "/admin/settings").then(function (data) {
      var inputs = {};
      Object.keys(data.values).forEach(function (key, index) {
        var id = "set-" + index;
        inputs[key] = h("input", { id: id, value: data.values[key], size: 30 });
        settingsForm.appendChild(h("label", { htmlFor: id, text: key.replace(".", ": ").replace("_", " ") }));
        settingsForm.appendChild(inputs[key]);
      });
      settingsForm.appendChild(h("p", {}, [h("button", { type: "submit", text: "Opslaan" })]));
      settingsForm.addEventListener("submit", function (event) {
        event.preventDefault();
        var values = {};
        Object.keys(inputs).forEach(function (k) { values[k] = inputs[k].value; });
        api("PUT", "/admin/settings", { values: values }).then(function () { say("Instellingen opgeslagen."); })
          .catch(fail(box));
      });
    }).catch(fail(box));
    api("GET", "/admin/users").then(function (data) {
      data.users.forEach(function (u) {
        users.appendChild(h("tr", {}, [h("td", { text: u.username }), h("td", { text: u.display_name }),
          h("td", { text: u.role }), h("td", { text: u.active ? "Ja" : "Nee" }),
          h("td", {}, [h("button", { type: "button", className: "secondary", text: u.active ? "Zet uit" : "Zet aan",
            on: { click: function () { api("POST", "/admin/users/" + u.id, { active: !u.active })
              .then(function () { say("Opgeslagen."); adminPage(); }).catch(fail(box)); } } })])]));
      });
    }).catch(fail(box));
    api("GET", "/admin/organisations").then(function (data) {
      data.organisations.forEach(function (o) {
        organisations.appendChild(h("tr", {}, [h("td", { text: o.name }), h("td", { text: (o.regions || []).join(", ") }),
          h("td", { text: o.phone || "" }), h("td", { text: o.active ? "Ja" : "Nee" })]));
      });
    }).catch(fail(box));
  }

  function newUserForm(box) {
    var fields = {
      username: h("input", { id: "nu-username", required: true }),
      display_name: h("input", { id: "nu-name", required: true }),
      role: h("select", { id: "nu-role" }, ["adviseur", "oco", "beheerder"].map(function (r) {
        return h("option", { value: r, text: r }); })),
      organisation_id: h("input", { id: "nu-org", inputMode: "numeric" }),
      password: h("input", { id: "nu-password", type: "password", autocomplete: "new-password", required: true })
    };
    var labels = { username: "Gebruikersnaam", display_name: "Naam", role: "Rol",
                   organisation_id: "Organisatie (nummer, voor OCO)", password: "Wachtwoord (minstens 12 tekens)" };
    var children = [h("h3", { text: "Nieuwe medewerker" })];
    Object.keys(fields).forEach(function (k) {
      children.push(h("label", { htmlFor: fields[k].id, text: labels[k] }), fields[k]);
    });
    children.push(h("p", {}, [h("button", { type: "submit", text: "Aanmaken" })]));
    return h("form", { className: "card", on: { submit: function (event) {
      event.preventDefault();
      var body = {};
      Object.keys(fields).forEach(function (k) { body[k] = fields[k].value; });
      body.organisation_id = body.organisation_id ? Number(body.organisation_id) : null;
      api("POST", "/admin/users", body).then(function () { say("Medewerker aangemaakt."); adminPage(); })
        .catch(fail(box));
    } } }, children);
  }

  // -- routing and presence -------------------------------------------------------------
  function show() {
    if (liveSource) { liveSource.close(); liveSource = null; }
    if (!me) { loginPage(); return; }
    markNav();
    var hash = location.hash || "#/";
    if (hash.indexOf("#/overdracht/") === 0) handoffPage(decodeURIComponent(hash.slice(13)));
    else if (hash === "#/cijfers") figuresPage();
    else if (hash === "#/beheer" && me.role === "beheerder") adminPage();
    else queuePage();
  }

  // Also while not available: the ping keeps a live takeover of this adviser from expiring.
  function heartbeat() {
    var box = document.getElementById("presence");
    if (!me) return;
    api("POST", "/presence", { available: me.role !== "oco" && box.checked }).catch(function () {});
  }

  document.getElementById("presence").addEventListener("change", function () {
    heartbeat();
    say(this.checked ? "U staat op beschikbaar voor live chat." : "U staat niet meer op beschikbaar.");
  });
  document.getElementById("logout").addEventListener("click", function () {
    api("POST", "/logout").finally(function () {
      me = null;
      location.hash = "#/";
      loginPage();
    });
  });
  window.addEventListener("hashchange", show);
  presenceTimer = setInterval(heartbeat, 60000);
  start();
})();
