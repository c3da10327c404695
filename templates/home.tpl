{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="hero">
<h1>Everything you need, from sellers you can trust</h1>
<p>Compare offers from independent sellers side by side, with the price, shipping and delivery on one page.</p>
<p><a class="btn" href="/c/">Browse all categories</a></p>
</section>
<section class="block" id="categories" aria-labelledby="h-categories">
<h2 id="h-categories">Shop by category</h2>
<ul class="tiles">
{{#CATEGORY}}<li><a class="tile" href="{{HREF}}"><span class="tile-name">{{NAME}}</span> <span class="tile-count">{{COUNT}}</span></a></li>{{/CATEGORY}}
</ul>
{{#MORE}}<h3 class="more-h">More departments</h3>
<ul class="more-list">
{{#OTHER}}<li><a href="{{HREF}}">{{NAME}}</a> <span class="count">{{COUNT}}</span></li>{{/OTHER}}
</ul>{{/MORE}}
{{#NO_CATEGORIES}}<p class="empty">The shop has no categories yet.</p>{{/NO_CATEGORIES}}
</section>
<section class="block" id="best-sellers" aria-labelledby="h-best">
<h2 id="h-best">Best sellers</h2>
<div class="grid">
{{#PRODUCT}}{{>CARD}}{{/PRODUCT}}
</div>
{{#NO_PRODUCTS}}<p class="empty">Nothing is in stock right now. Please come back soon.</p>{{/NO_PRODUCTS}}
</section>
{{>FOOTER}}
