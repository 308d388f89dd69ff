// Improves a job run's page: polls its status URL and moves the <progress> bar instead of
// reloading the whole page every few seconds (the meta refresh still works without JS).
(function () {
  const box = document.querySelector('[data-status-url]');
  if (!box) return;
  const running = ['queued', 'running', 'failed'];
  if (!running.includes(box.dataset.status)) return;
  const refresh = document.querySelector('meta[http-equiv="refresh"]');
  if (refresh) refresh.remove();
  const poll = () => {
    fetch(box.dataset.statusUrl, { credentials: 'same-origin' })
      .then((r) => r.json())
      .then((s) => {
        const bar = box.querySelector('progress');
        if (bar && s.progress_total) {
          bar.max = s.progress_total;
          bar.value = s.progress_done;
        }
        if (s.status !== box.dataset.status && !running.includes(s.status)) {
          window.location.reload();
        } else {
          setTimeout(poll, 1000);
        }
      })
      .catch(() => setTimeout(poll, 3000));
  };
  setTimeout(poll, 1000);
})();
