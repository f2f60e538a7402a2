/*
 * Wlz-wegwijzer chat widget. No framework, no build step.
 *
 * Embed on any page with one tag:
 *   <script src="https://zorgkantoor.example/widget/wegwijzer.js" defer></script>
 * It adds a "Chat" button that opens the assistant. On the standalone page the
 * widget is shown inline: <div id="wlz-wegwijzer" data-inline></div>.
 *
 * The conversation id lives in sessionStorage: one conversation per browser tab.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var API = (script && script.getAttribute("data-api")) ||
            (script ? new URL(script.src, location.href).origin : location.origin);
  var STORAGE_KEY = "wlz-wegwijzer-conversation";
  var HISTORY_KEY = "wlz-wegwijzer-history";
  var LIVE_KEY = "wlz-wegwijzer-live";
  var TEXT = {
    title: "Wlz-wegwijzer",
    subtitle: "Digitale assistent over de Wet langdurige zorg",
    open: "Chat met de Wlz-wegwijzer",
    close: "Chat sluiten",
    privacy: "Dit is een computerprogramma, geen mens. Vul geen BSN of andere " +
             "persoonsgegevens in. Wij bewaren het gesprek zonder persoonsgegevens. " +
             "Wij delen niets met een medewerker zonder uw toestemming.",
    start: "Gesprek beginnen",
    inputLabel: "Uw bericht",
    placeholder: "Typ uw vraag…",
    send: "Versturen",
    restart: "Opnieuw beginnen",
    erase: "Wis dit gesprek",
    eraseConfirm: "Wilt u dit gesprek wissen? Dan verwijderen wij alles wat u hier schreef, " +
                  "ook een bewaard plan en een aanvraag voor een medewerker.",
    erased: "Uw gesprek is gewist.",
    human: "Praat met een medewerker",
    bot: "Wegwijzer (computer)",
    staff: "Medewerker (mens)",
    system: "Melding",
    you: "U",
    typing: "De wegwijzer typt…",
    readAloud: "Lees voor",
    stopReading: "Stop voorlezen",
    error: "Er ging iets mis. Probeer het nog eens.",
    tooLong: "Uw bericht is te lang. Houd het korter dan 2000 tekens.",
    humanMode: "U praat nu met een medewerker.",
    botMode: "U praat met de digitale assistent."
  };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else if (key.indexOf("on") === 0) node.addEventListener(key.slice(2), attrs[key]);
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function Widget(host, inline) {
    this.host = host;
    this.inline = inline;
    this.conversationId = sessionStorage.getItem(STORAGE_KEY);
    this.history = JSON.parse(sessionStorage.getItem(HISTORY_KEY) || "[]");
    this.mode = "bot";
    this.events = null;
    this.speaking = null;
    this.build();
    if (this.history.length) {
      this.showConversation();
      this.history.forEach(function (m) { this.render(m, false); }, this);
      if (sessionStorage.getItem(LIVE_KEY)) this.listen();
    }
  }

  Widget.prototype.build = function () {
    var self = this;
    this.panel = el("section", {
      className: "wlz-panel" + (this.inline ? " wlz-inline" : ""),
      "aria-labelledby": "wlz-title", id: "wlz-panel"
    });
    var header = el("header", { className: "wlz-header" }, [
      el("div", {}, [
        el("h2", { id: "wlz-title", className: "wlz-title", text: TEXT.title }),
        el("p", { className: "wlz-subtitle", text: TEXT.subtitle })
      ]),
      this.inline ? null : el("button", {
        type: "button", className: "wlz-icon-button", "aria-label": TEXT.close,
        onclick: function () { self.toggle(false); }
      }, [el("span", { "aria-hidden": "true", text: "×" })])
    ]);
    this.status = el("p", { className: "wlz-status", id: "wlz-status", text: TEXT.botMode });
    this.log = el("div", {
      className: "wlz-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      "aria-label": "Gesprek", tabindex: "0"
    });
    this.typing = el("p", { className: "wlz-typing", hidden: "", text: TEXT.typing });
    this.error = el("p", { className: "wlz-error", role: "alert", hidden: "" });
    this.input = el("textarea", {
      id: "wlz-input", className: "wlz-input", rows: "2", maxlength: "2000",
      placeholder: TEXT.placeholder, "aria-describedby": "wlz-status"
    });
    this.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); self.submit(); }
    });
    this.form = el("form", {
      className: "wlz-form", onsubmit: function (e) { e.preventDefault(); self.submit(); }
    }, [
      el("label", { "for": "wlz-input", className: "wlz-label", text: TEXT.inputLabel }),
      el("div", { className: "wlz-row" }, [
        this.input,
        el("button", { type: "submit", className: "wlz-send", text: TEXT.send })
      ])
    ]);
    var tools = el("div", { className: "wlz-tools" }, [
      el("button", { type: "button", className: "wlz-secondary wlz-human", text: TEXT.human,
                     onclick: function () { self.send("Praat met een medewerker", "/request_human"); } }),
      el("button", { type: "button", className: "wlz-secondary", text: TEXT.restart,
                     onclick: function () { self.restart(); } }),
      el("button", { type: "button", className: "wlz-secondary", text: TEXT.erase,
                     onclick: function () { self.erase(); } })
    ]);
    this.privacy = el("div", { className: "wlz-privacy" }, [
      el("p", { text: TEXT.privacy }),
      el("button", { type: "button", className: "wlz-primary", text: TEXT.start,
                     onclick: function () { self.showConversation(); self.send("Hallo", "/greet"); } })
    ]);
    this.conversation = el("div", { className: "wlz-conversation", hidden: "" },
                           [this.status, this.log, this.typing, this.error, this.form, tools]);
    this.panel.appendChild(header);
    this.panel.appendChild(this.privacy);
    this.panel.appendChild(this.conversation);

    if (this.inline) {
      this.host.appendChild(this.panel);
    } else {
      this.launcher = el("button", {
        type: "button", className: "wlz-launcher", "aria-expanded": "false",
        "aria-controls": "wlz-panel", text: TEXT.open,
        onclick: function () { self.toggle(true); }
      });
      this.panel.hidden = true;
      this.host.appendChild(this.launcher);
      this.host.appendChild(this.panel);
      this.panel.addEventListener("keydown", function (event) {
        if (event.key === "Escape") self.toggle(false);
      });
    }
  };

  Widget.prototype.toggle = function (open) {
    this.panel.hidden = !open;
    this.launcher.hidden = open;
    this.launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      (this.conversation.hidden ? this.privacy.querySelector("button") : this.input).focus();
    } else {
      this.launcher.focus();
    }
  };

  Widget.prototype.showConversation = function () {
    this.privacy.hidden = true;
    this.conversation.hidden = false;
    this.input.focus();
  };

  Widget.prototype.setMode = function (mode) {
    if (mode === this.mode) return;
    this.mode = mode;
    this.status.textContent = mode === "human" ? TEXT.humanMode : TEXT.botMode;
    this.panel.classList.toggle("wlz-human-mode", mode === "human");
  };

  Widget.prototype.remember = function (message) {
    this.history.push(message);
    sessionStorage.setItem(HISTORY_KEY, JSON.stringify(this.history.slice(-200)));
  };

  Widget.prototype.render = function (message, store) {
    if (store !== false) this.remember(message);
    var self = this;
    var sender = message.sender;
    // Once the person has answered, earlier choices are history: clicking one would answer a
    // question the conversation has left behind (a guided flow would take it as the next answer).
    if (sender === "user") {
      this.log.querySelectorAll(".wlz-choice:not([disabled])").forEach(function (b) { b.disabled = true; });
    }
    var label = { user: TEXT.you, bot: TEXT.bot, staff: TEXT.staff, system: TEXT.system }[sender] || TEXT.bot;
    var bubble = el("div", { className: "wlz-message wlz-from-" + sender }, [
      el("p", { className: "wlz-sender", text: label }),
      el("p", { className: "wlz-text", text: message.text })
    ]);
    if (sender !== "user" && "speechSynthesis" in window) {
      bubble.appendChild(el("button", {
        type: "button", className: "wlz-read", text: TEXT.readAloud,
        "aria-label": TEXT.readAloud + ": " + message.text.slice(0, 60),
        onclick: function (event) { self.readAloud(message.text, event.currentTarget); }
      }));
    }
    if (message.link && /^https?:\/\//.test(message.link.url)) {
      bubble.appendChild(el("p", { className: "wlz-link" }, [
        el("a", { href: message.link.url, target: "_blank", rel: "noopener", text: message.link.title })
      ]));
    }
    if (message.calls && message.calls.length) {
      // the safety layer's numbers: one tap calls them on a phone
      var calls = el("p", { className: "wlz-calls" });
      message.calls.forEach(function (c) {
        if (/^\d{3,11}$/.test(c.number)) {
          calls.appendChild(el("a", { className: "wlz-call", href: "tel:" + c.number, text: c.title }));
        }
      });
      bubble.appendChild(calls);
    }
    if (message.buttons && message.buttons.length) {
      var group = el("div", { className: "wlz-buttons", role: "group", "aria-label": "Keuzes" });
      message.buttons.forEach(function (b) {
        group.appendChild(el("button", {
          type: "button", className: "wlz-choice", text: b.title,
          onclick: function () { self.send(b.title, b.payload); }
        }));
      });
      bubble.appendChild(group);
    }
    this.log.appendChild(bubble);
    bubble.scrollIntoView({ block: "end", behavior: this.motion() });
  };

  Widget.prototype.motion = function () {
    return window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";
  };

  Widget.prototype.readAloud = function (text, button) {
    var synth = window.speechSynthesis;
    if (this.speaking === button) { synth.cancel(); this.resetReading(); return; }
    synth.cancel();
    this.resetReading();
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "nl-NL";
    var dutch = synth.getVoices().filter(function (v) { return v.lang && v.lang.indexOf("nl") === 0; })[0];
    if (dutch) utterance.voice = dutch;
    var self = this;
    utterance.onend = function () { self.resetReading(); };
    this.speaking = button;
    button.textContent = TEXT.stopReading;
    synth.speak(utterance);
  };

  Widget.prototype.resetReading = function () {
    if (this.speaking) this.speaking.textContent = TEXT.readAloud;
    this.speaking = null;
  };

  Widget.prototype.submit = function () {
    var text = this.input.value.trim();
    if (!text) return;
    if (text.length > 2000) { this.showError(TEXT.tooLong); return; }
    this.input.value = "";
    this.send(text, null);
  };

  Widget.prototype.showError = function (text) {
    this.error.textContent = text;
    this.error.hidden = !text;
  };

  Widget.prototype.send = function (shown, payload) {
    var self = this;
    this.showConversation();
    this.showError("");
    this.render({ sender: "user", text: shown });
    this.typing.hidden = this.mode === "human";
    var body = { message: payload || shown };
    if (this.conversationId) body.conversation_id = this.conversationId;
    fetch(API + "/api/chat", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { ok: response.ok, data: data };
      });
    }).then(function (result) {
      self.typing.hidden = true;
      if (!result.ok) {
        // the service explains in Dutch (and gives a phone number when the bot is down)
        var detail = result.data && result.data.detail;
        self.showError(typeof detail === "string" ? detail : TEXT.error);
        return;
      }
      var data = result.data;
      if (data.conversation_id && data.conversation_id !== self.conversationId) {
        self.conversationId = data.conversation_id;
        sessionStorage.setItem(STORAGE_KEY, data.conversation_id);
      }
      // an adviser can join once a handoff exists: only then an event stream (none before)
      // (again, when an earlier stream was closed: after a 204 or a network error)
      if (data.live && (!self.events || self.events.readyState === 2)) {
        sessionStorage.setItem(LIVE_KEY, "1");
        self.listen();
      }
      self.setMode(data.mode || "bot");
      (data.messages || []).forEach(function (m) { self.render(m); });
    }).catch(function () {
      self.typing.hidden = true;
      self.showError(TEXT.error);
    });
  };

  // Staff messages during a live takeover arrive by Server-Sent Events. The conversation id
  // never goes in a URL (URLs end up in logs): it is posted for a one-minute ticket that opens
  // the stream. When the browser cannot reconnect with an expired ticket, ask a new one and
  // say which event came last, so nothing is missed.
  Widget.prototype.listen = function () {
    if (!this.conversationId || !("EventSource" in window) || this.ticketPending) return;
    if (this.events) this.events.close();
    this.events = null;
    this.ticketPending = true;
    var self = this;
    var conversation = this.conversationId;
    fetch(API + "/api/chat/events/ticket", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ conversation_id: conversation })
    }).then(function (response) {
      if (response.status === 204 || !response.ok) return null;  // no live chat (any more)
      return response.json();
    }).then(function (data) {
      self.ticketPending = false;
      if (!data || !data.ticket || self.conversationId !== conversation) return;
      var url = API + "/api/chat/events?ticket=" + encodeURIComponent(data.ticket) +
        (self.lastEventId ? "&last=" + encodeURIComponent(self.lastEventId) : "");
      var events = new EventSource(url);
      self.events = events;
      events.onmessage = function (event) {
        var message;
        if (event.lastEventId) self.lastEventId = event.lastEventId;
        try { message = JSON.parse(event.data); } catch (e) { return; }
        if (message.mode) self.setMode(message.mode);
        if (message.text) self.render({ sender: message.sender || "staff", text: message.text, buttons: message.buttons || [] });
      };
      events.onerror = function () {
        if (events.readyState !== 2 || self.events !== events) return;  // the browser retries itself
        setTimeout(function () { if (self.events === events) self.listen(); }, 3000);
      };
    }).catch(function () { self.ticketPending = false; /* the next reply says whether to listen */ });
  };

  // Wipe the conversation on the server too, then start afresh.
  Widget.prototype.erase = function () {
    var self = this;
    if (!this.conversationId) { this.restart(); return; }
    if (!window.confirm(TEXT.eraseConfirm)) return;
    fetch(API + "/api/chat/erase", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ conversation_id: this.conversationId })
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) { self.showError(typeof data.detail === "string" ? data.detail : TEXT.error); return; }
          self.restart();
          self.render({ sender: "system", text: TEXT.erased, buttons: [] });
        });
      }).catch(function () { self.showError(TEXT.error); });
  };

  Widget.prototype.restart = function () {
    if (this.events) this.events.close();
    this.events = null;
    this.lastEventId = null;
    this.conversationId = null;
    this.history = [];
    sessionStorage.removeItem(STORAGE_KEY);
    sessionStorage.removeItem(HISTORY_KEY);
    sessionStorage.removeItem(LIVE_KEY);
    this.log.textContent = "";
    this.setMode("bot");
    this.showError("");
    this.send("Opnieuw beginnen", "/greet");
  };

  function init() {
    if (document.querySelector(".wlz-panel")) return;  // loaded twice
    if (!document.querySelector('link[data-wlz-style]')) {
      var css = el("link", { rel: "stylesheet", href: API + "/widget/wegwijzer.css", "data-wlz-style": "" });
      document.head.appendChild(css);
    }
    var inlineHost = document.getElementById("wlz-wegwijzer");
    if (inlineHost && inlineHost.hasAttribute("data-inline")) {
      window.wlzWegwijzer = new Widget(inlineHost, true);
    } else {
      var host = el("div", { className: "wlz-root" });
      document.body.appendChild(host);
      window.wlzWegwijzer = new Widget(host, false);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
