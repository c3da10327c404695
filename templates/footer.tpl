{{%AUTOESCAPE context="HTML"}}</main>
<footer class="foot">
<div class="wrap foot-in">
<p><strong>Souk</strong> &mdash; one shop, many independent sellers.</p>
<nav aria-label="Footer"><a href="/">Home</a> <a href="/c/">All categories</a> <a href="/#best-sellers">Best sellers</a></nav>
<p class="muted small">Prices in US dollars. Product photos are placeholders.</p>
</div>
</footer>
</body>
</html>
