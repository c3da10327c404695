{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
{{>CRUMBS}}
<div class="listing">
<aside class="side" aria-label="Departments">
<h2 class="side-h">Department</h2>
<ul class="side-list">
{{#PARENT}}<li class="up"><a href="{{PARENT_HREF}}">&lsaquo; {{PARENT_NAME}}</a></li>{{/PARENT}}
<li class="here"><a href="{{HREF}}" aria-current="page">{{NAME}}</a></li>
{{#CHILD}}<li class="sub"><a href="{{CHILD_HREF}}">{{CHILD_NAME}} <span class="count">{{CHILD_COUNT}}</span></a></li>{{/CHILD}}
</ul>
</aside>
<section class="results">
<div class="results-head">
<div>
<h1>{{NAME}}</h1>
<p class="muted">{{#RANGE}}Showing {{FROM}}&ndash;{{TO}} of {{/RANGE}}{{TOTAL}}</p>
</div>
<form class="sort" method="get" action="{{HREF}}">
<label for="sort">Sort by</label>
<select id="sort" name="sort">
{{#SORT}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/SORT}}
</select>
{{#KEEP_PER_PAGE}}<input type="hidden" name="per_page" value="{{PER_PAGE}}">{{/KEEP_PER_PAGE}}
<button class="btn btn-small" type="submit">Apply</button>
</form>
</div>
<h2 class="sr">Products</h2>
<div class="grid">
{{#PRODUCT}}{{>CARD}}{{/PRODUCT}}
</div>
{{#EMPTY}}<div class="empty"><h2>No products here yet</h2><p>Sellers have not listed anything in this category. <a href="/">Back to the home page</a></p></div>{{/EMPTY}}
{{#PAST_END}}<div class="empty"><h2>Nothing on page {{PAGE}}</h2><p>This list ends on page {{LAST}}. <a href="{{FIRST_HREF}}">Go to the first page</a> or <a href="{{LAST_HREF}}">the last page</a>.</p></div>{{/PAST_END}}
{{#PAGER}}<nav class="pager" aria-label="Pages">
{{#PREV}}<a class="pg" href="{{HREF}}" rel="prev">&lsaquo; Previous</a>{{/PREV}}{{#PREV_OFF}}<span class="pg off">&lsaquo; Previous</span>{{/PREV_OFF}}
{{#PG}}{{#LINK}}<a class="pg" href="{{HREF}}">{{N}}</a>{{/LINK}}{{#CUR}}<span class="pg cur" aria-current="page">{{N}}</span>{{/CUR}}{{#GAP}}<span class="pg gap">&hellip;</span>{{/GAP}}{{/PG}}
{{#NEXT}}<a class="pg" href="{{HREF}}" rel="next">Next &rsaquo;</a>{{/NEXT}}{{#NEXT_OFF}}<span class="pg off">Next &rsaquo;</span>{{/NEXT_OFF}}
</nav>{{/PAGER}}
</section>
</div>
{{>FOOTER}}
