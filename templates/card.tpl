{{%AUTOESCAPE context="HTML"}}<article class="card">
<a class="card-link" href="{{HREF}}">
<span class="card-img"><img src="{{IMG}}" alt="" width="320" height="320" loading="lazy" decoding="async"></span>
<h3 class="card-title">{{TITLE}}</h3>
</a>
{{#BRAND}}<p class="card-brand">{{NAME}}</p>{{/BRAND}}
<p class="rating">{{#RATED}}<span class="stars {{STARS}}" role="img" aria-label="{{RATING}} out of 5 stars"></span> <span class="rating-count" title="{{RATINGS}}">{{RATING_COUNT}}</span>{{/RATED}}{{#UNRATED}}<span class="muted">No ratings yet</span>{{/UNRATED}}</p>
<p class="card-price">{{#PRICE}}<span class="price">${{AMOUNT}}</span>{{/PRICE}}{{#NO_PRICE}}<span class="muted">Currently unavailable</span>{{/NO_PRICE}}</p>
{{#IN_STOCK}}<p class="badge in">In stock</p>{{/IN_STOCK}}{{#OUT_OF_STOCK}}<p class="badge out">Out of stock</p>{{/OUT_OF_STOCK}}
</article>
