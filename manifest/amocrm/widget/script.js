define(['jquery'], function ($) {
  // Opens the svodka dashboard for this account, on the deal card and in the lists.
  return function () {
    var self = this;
    var base = function () {
      var url = (self.get_settings().svodka_url || '').replace(/\/$/, '');
      return /^https:\/\//.test(url) ? url : null;
    };
    // The dashboard signs the user in with amoCRM's one-time token (X-Auth-Token, checked with the
    // integration's secret) and answers the page to open. The tab is opened at the click, so that popup
    // blockers allow it, and pointed at the page when the answer comes.
    var open = function (page) {
      var url = base();
      if (!url) return;
      var tab = window.open('about:blank', '_blank');
      if (tab) tab.opener = null;
      var lang = AMOCRM.lang_id === 'en' ? 'en' : 'ru';
      self.$authorizedAjax({ url: url + '/app/amocrm/session?page=' + page + '&lang=' + lang, method: 'POST', dataType: 'json' })
        .done(function (r) { if (tab && r && r.url) tab.location.href = url + r.url; })
        .fail(function () { if (tab) tab.close(); });
    };
    this.callbacks = {
      render: function () {
        var area = self.system().area;
        if (area === 'lcard') {
          var lang = self.i18n('card');
          self.render_template({
            caption: { class_name: 'svodka-card' },
            body: '<button type="button" class="button-input svodka-open">' + lang.open + '</button>',
            render: ''
          });
        }
        return true;
      },
      init: function () { return true; },
      bind_actions: function () {
        $(document).off('click.svodka').on('click.svodka', '.svodka-open', function () {
          open('stale');
        });
        return true;
      },
      settings: function () { return true; },
      onSave: function () { return !!base(); },
      destroy: function () { $(document).off('click.svodka'); },
      leads: { selected: function () { open('ads'); return true; } }
    };
    return this;
  };
});
