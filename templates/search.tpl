{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<div class="listing search">
<aside class="side facets" aria-label="Filters">
<input type="checkbox" id="show-filters" class="filters-toggle" aria-label="Show filters">
<label for="show-filters" class="btn btn-ghost btn-small filters-btn">Filters{{#NFILTERS}} ({{N}}){{/NFILTERS}}</label>
<form class="facet-form" method="get" action="{{ACTION}}">
{{#HIDDEN}}<input type="hidden" name="{{NAME}}" value="{{VALUE}}">{{/HIDDEN}}
{{#HAS_CATS}}<section class="facet">
<h2 class="side-h">Department</h2>
<ul class="facet-links">
{{#CAT_CURRENT}}<li class="up"><a href="{{UP_HREF}}">&lsaquo; {{UP_NAME}}</a></li>
<li class="here" aria-current="true">{{NAME}}</li>{{/CAT_CURRENT}}
{{#CAT}}<li class="sub"><a href="{{HREF}}">{{NAME}} <span class="count">{{COUNT}}</span></a></li>{{/CAT}}
</ul>
</section>{{/HAS_CATS}}
{{#FACET}}<fieldset class="facet facet-{{NAME}}">
<legend class="side-h">{{TITLE}}</legend>
{{#OPT}}<label class="check" for="{{ID}}"><input type="checkbox" id="{{ID}}" name="{{NAME}}" value="{{VALUE}}"{{#CHECKED}} checked{{/CHECKED}}> <span class="check-text">{{VALUE}}</span> <span class="count">{{COUNT}}</span></label>
{{/OPT}}{{#MORE}}<details class="more"><summary>More</summary>
{{#OPT}}<label class="check" for="{{ID}}"><input type="checkbox" id="{{ID}}" name="{{NAME}}" value="{{VALUE}}"{{#CHECKED}} checked{{/CHECKED}}> <span class="check-text">{{VALUE}}</span> <span class="count">{{COUNT}}</span></label>
{{/OPT}}</details>{{/MORE}}
</fieldset>{{/FACET}}
<fieldset class="facet">
<legend class="side-h">Price</legend>
<ul class="facet-links">
{{#PRICE_BUCKET}}<li{{#CURRENT}} class="here"{{/CURRENT}}><a href="{{HREF}}">{{LABEL}} <span class="count">{{COUNT}}</span></a></li>{{/PRICE_BUCKET}}
</ul>
<div class="price-inputs">
<label class="price-in" for="f-min"><span class="sr">Lowest price</span>$<input id="f-min" name="min" type="text" inputmode="decimal" pattern="[0-9]*([.][0-9]{1,2})?" size="6" placeholder="Min" value="{{MIN}}"></label>
<span class="muted">to</span>
<label class="price-in" for="f-max"><span class="sr">Highest price</span>$<input id="f-max" name="max" type="text" inputmode="decimal" pattern="[0-9]*([.][0-9]{1,2})?" size="6" placeholder="Max" value="{{MAX}}"></label>
</div>
</fieldset>
<fieldset class="facet">
<legend class="side-h">Customer rating</legend>
{{#RATING}}<label class="check" for="f-rating-{{STARS}}"><input type="radio" id="f-rating-{{STARS}}" name="rating_min" value="{{STARS}}"{{#CHECKED}} checked{{/CHECKED}}> <span class="stars {{CLASS}}" role="img" aria-label="{{STARS}} stars"></span> <span class="check-text">&amp; up</span> <span class="count">{{COUNT}}</span></label>
{{/RATING}}{{#RATING_ANY}}<label class="check" for="f-rating-any"><input type="radio" id="f-rating-any" name="rating_min" value=""{{#CHECKED}} checked{{/CHECKED}}> <span class="check-text">Any rating</span></label>{{/RATING_ANY}}
</fieldset>
<fieldset class="facet">
<legend class="side-h">Availability</legend>
<label class="check" for="f-in-stock"><input type="checkbox" id="f-in-stock" name="in_stock" value="1"{{#IN_STOCK_CHECKED}} checked{{/IN_STOCK_CHECKED}}> <span class="check-text">In stock only</span></label>
</fieldset>
<button class="btn btn-small apply" type="submit">Apply filters</button>
</form>
</aside>
<section class="results">
<div class="results-head">
<div>
<h1>{{HEADING}}</h1>
<p class="muted">{{#RANGE}}Showing {{FROM}}&ndash;{{TO}} of {{/RANGE}}{{TOTAL}}</p>
</div>
{{#SORT_FORM}}<form class="sort" method="get" action="/search">
{{#HIDDEN}}<input type="hidden" name="{{NAME}}" value="{{VALUE}}">{{/HIDDEN}}
<label for="sort">Sort by</label>
<select id="sort" name="sort">
{{#SORT}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/SORT}}
</select>
<button class="btn btn-small" type="submit">Apply</button>
</form>{{/SORT_FORM}}
</div>
{{#CORRECTED}}<p class="notice typo">Showing results for <a href="{{CORRECTED_HREF}}"><strong>{{CORRECTED}}</strong></a>. Search instead for <a href="{{ORIGINAL_HREF}}">{{ORIGINAL}}</a>.</p>{{/CORRECTED}}
{{#DID_YOU_MEAN}}<p class="notice dym">Did you mean: {{#SUGGESTION}}<a href="{{HREF}}">{{TEXT}}</a>{{#SUGGESTION_separator}}, {{/SUGGESTION_separator}}{{/SUGGESTION}}?</p>{{/DID_YOU_MEAN}}
<ul class="chips" aria-label="Applied filters">
{{#CHIP}}<li><a class="chip" href="{{HREF}}" aria-label="Remove {{LABEL}}: {{VALUE}}">{{LABEL}}: {{VALUE}} <span aria-hidden="true">&times;</span></a></li>{{/CHIP}}
{{#CLEAR_ALL}}<li><a class="chip clear" href="{{HREF}}">Clear all</a></li>{{/CLEAR_ALL}}
</ul>
<h2 class="sr">Results</h2>
<div class="grid">
{{#PRODUCT}}{{>CARD}}{{/PRODUCT}}
</div>
{{#EMPTY}}<div class="empty"><h2>No results{{#FOR}} for &ldquo;{{TEXT}}&rdquo;{{/FOR}}</h2><p>Check the spelling, use fewer words or remove a filter.</p></div>{{/EMPTY}}
{{#PAST_END}}<div class="empty"><h2>Nothing on page {{PAGE}}</h2><p>These results end on page {{LAST}}. <a href="{{FIRST_HREF}}">Go to the first page</a> or <a href="{{LAST_HREF}}">the last page</a>.</p></div>{{/PAST_END}}
{{#PAGER}}<nav class="pager" aria-label="Pages">
{{#PREV}}<a class="pg" href="{{HREF}}" rel="prev">&lsaquo; Previous</a>{{/PREV}}{{#PREV_OFF}}<span class="pg off">&lsaquo; Previous</span>{{/PREV_OFF}}
{{#PG}}{{#LINK}}<a class="pg" href="{{HREF}}">{{N}}</a>{{/LINK}}{{#CUR}}<span class="pg cur" aria-current="page">{{N}}</span>{{/CUR}}{{#GAP}}<span class="pg gap">&hellip;</span>{{/GAP}}{{/PG}}
{{#NEXT}}<a class="pg" href="{{HREF}}" rel="next">Next &rsaquo;</a>{{/NEXT}}{{#NEXT_OFF}}<span class="pg off">Next &rsaquo;</span>{{/NEXT_OFF}}
</nav>{{/PAGER}}
</section>
</div>
<script src="/static/search.js" defer></script>
{{>FOOTER}}
