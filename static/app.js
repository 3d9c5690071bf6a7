// govkpi page script. Pages carry chart options as JSON in data attributes
// (escaped by the server's templates); this file turns them into ECharts.
// Options are parsed with JSON.parse, never evaluated, so nothing in a name
// can become code. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  'use strict';
  var charts = [];
  window.govkpiCharts = charts; // for the browser tests

  function initChart(el) {
    var option = JSON.parse(el.getAttribute('data-chart'));
    var theme = el.getAttribute('data-theme');
    var chart = echarts.init(el, theme || null, { renderer: 'canvas' });
    if (theme) { option.backgroundColor = 'transparent'; }
    // Narrow screens: category labels stand upright and small so that
    // every region's name can be read.
    if (el.clientWidth < 560 && option.xAxis && option.xAxis[0] && option.xAxis[0].axisLabel) {
      option.xAxis[0].axisLabel.rotate = 90;
      option.xAxis[0].axisLabel.fontSize = 10;
    }
    if (el.clientWidth < 560 && option.radar) { option.radar.radius = '50%'; }
    if (el.clientWidth < 560 && option.grid && option.grid[0] && option.xAxis) {
      option.grid[0].left = 8;
      option.grid[0].right = 24;
      option.grid[0].bottom = 16;
    }
    chart.setOption(option);
    var drill = el.getAttribute('data-drill');
    if (drill) {
      var urls = JSON.parse(drill);
      // urls[series][point]: where a click on that point leads.
      chart.on('click', function (p) {
        var url = (urls[p.seriesIndex] || [])[p.dataIndex];
        if (url) { window.location.href = url; }
      });
      chart.getZr().on('mousemove', function () { el.style.cursor = 'pointer'; });
    }
    charts.push(chart);
  }

  document.querySelectorAll('[data-chart]').forEach(initChart);
  window.addEventListener('resize', function () {
    charts.forEach(function (c) { c.resize(); });
  });

  // Print buttons.
  document.querySelectorAll('[data-print]').forEach(function (b) {
    b.addEventListener('click', function () { window.print(); });
  });

  // Copy buttons copy the text of their target (the generated summary).
  // Intranets often serve plain HTTP, where navigator.clipboard does not
  // exist: fall back to selecting the text and execCommand, and say so
  // honestly when neither works.
  document.querySelectorAll('[data-copy]').forEach(function (b) {
    var label = b.textContent;
    function done(ok) {
      b.textContent = ok ? '✓' : (document.documentElement.lang === 'en' ? 'select and copy by hand' : '请手动选中复制');
      setTimeout(function () { b.textContent = label; }, 2500);
    }
    b.addEventListener('click', function () {
      var target = document.querySelector(b.getAttribute('data-copy'));
      var text = target.textContent;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
        return;
      }
      var range = document.createRange();
      range.selectNodeContents(target);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      done(ok);
    });
  });

  // On a phone the summary starts folded, so the cards come first.
  if (window.innerWidth < 600) {
    document.querySelectorAll('details[data-fold-narrow]').forEach(function (d) { d.open = false; });
  }

  // Filter forms submit themselves when a choice changes.
  document.querySelectorAll('form[data-autosubmit]').forEach(function (form) {
    form.addEventListener('change', function () { form.submit(); });
  });
})();

// The entry grid: check each cell as it is typed, with the same rules as
// the server (which checks again and is the one that counts), and warn
// before leaving with unsaved changes.
(function () {
  'use strict';
  var form = document.querySelector('form[data-warn-unsaved]');
  if (!form) { return; }
  var zh = document.documentElement.lang !== 'en';
  var dirty = false;

  // Full-width digits and punctuation to ASCII; thousands separators out.
  function parse(text) {
    var s = text.replace(/[\uFF10-\uFF19]/g, function (d) { return String.fromCharCode(d.charCodeAt(0) - 0xFF10 + 48); })
      .replace(/\uFF0E/g, '.').replace(/[\uFF0D\u2212]/g, '-').replace(/[\uFF05%]$/, '').replace(/^[\s\u3000]+|[\s\u3000]+$/g, '');
    if (s === '') { return { empty: true }; }
    if (/^-?\d{1,3}([,\uFF0C]\d{3})+(\.\d+)?$/.test(s)) { s = s.replace(/[,\uFF0C]/g, ''); }
    if (!/^-?\d+(\.\d+)?$/.test(s)) { return { error: zh ? '“' + text + '”不是数字' : '"' + text + '" is not a number' }; }
    return { value: parseFloat(s) };
  }

  function check(input) {
    var msg = input.parentNode.querySelector('.cell-msg');
    var r = parse(input.value), d = input.dataset, err = r.error, warn = '';
    if (!r.empty && !err) {
      if (r.value < +d.min || r.value > +d.max) {
        err = zh ? '超出有效范围 ' + d.min + '–' + d.max : 'outside the valid range ' + d.min + '–' + d.max;
      } else if (d.whole && r.value % 1 !== 0) {
        err = zh ? '须为整数' : 'must be a whole number';
      } else if (d.percent && r.value > 100) {
        err = zh ? '百分比不能超过100' : 'a percentage cannot exceed 100';
      } else if (d.lastyear && +d.lastyear !== 0 && Math.abs(r.value - d.lastyear) / Math.abs(d.lastyear) > 0.5) {
        warn = zh ? '较上年同期变动超过50%，请填写说明' : 'more than 50% away from last year: add a note';
      }
    }
    input.classList.toggle('invalid', !!err);
    msg.textContent = '';
    if (err || warn) {
      var span = document.createElement('span');
      span.className = err ? 'err' : 'warn';
      span.textContent = err || warn;
      msg.appendChild(span);
    }
  }

  form.querySelectorAll('input.cell').forEach(function (input) {
    input.addEventListener('input', function () { dirty = true; check(input); });
  });
  form.querySelectorAll('input.note').forEach(function (input) {
    input.addEventListener('input', function () { dirty = true; });
  });
  form.addEventListener('submit', function () { dirty = false; });
  window.addEventListener('beforeunload', function (e) {
    if (dirty) { e.preventDefault(); e.returnValue = ''; }
  });
})();
