define(['jquery'], function ($) {
  // Opens the svodka dashboard for this account, on the deal card and in the lists.
  return function () {
    var self = this;
    var base = function () {
      var url = (self.get_settings().svodka_url || '').replace(/\/$/, '');
      return /^https:\/\//.test(url) ? url : null;
    };
    var open = function (path) {
      var url = base();
      if (!url) return;
      var account = encodeURIComponent(AMOCRM.constant('account').subdomain);
      window.open(url + '/app' + path + '?amocrm=' + account, '_blank', 'noopener');
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
          var id = AMOCRM.data.current_card ? AMOCRM.data.current_card.id : '';
          open('/deal' + (id ? '/' + encodeURIComponent(id) : ''));
        });
        return true;
      },
      settings: function () { return true; },
      onSave: function () { return !!base(); },
      destroy: function () { $(document).off('click.svodka'); },
      leads: { selected: function () { open('/'); return true; } }
    };
    return this;
  };
});
