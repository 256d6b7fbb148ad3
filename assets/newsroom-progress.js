// The newsroom's page of a review being sent: follows the server's progress events and updates
// the figures in place. Without it (no script, no EventSource), a reload shows the same figures.
(() => {
  const box = document.querySelector('[data-progress-url]');
  if (!box || !('EventSource' in window)) return;
  const source = new EventSource(box.getAttribute('data-progress-url'));
  source.addEventListener('progress', (event) => {
    const figures = JSON.parse(event.data);
    for (const name of ['sent', 'failed', 'left', 'skipped']) {
      const cell = document.getElementById(`progress-${name}`);
      if (cell) cell.textContent = Number(figures[name]).toLocaleString('en-US');
    }
    if (figures.done) source.close();
  });
})();
