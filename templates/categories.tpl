{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<nav class="crumbs" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li><li><span aria-current="page">All categories</span></li></ol></nav>
<h1>All categories</h1>
<div class="cat-groups">
{{#ROOT}}<section class="cat-group">
<h2><a href="{{HREF}}">{{NAME}}</a> <span class="count">{{COUNT}}</span></h2>
<ul>
{{#SUB}}<li class="{{DEPTH}}"><a href="{{HREF}}">{{NAME}}</a> <span class="count">{{COUNT}}</span></li>{{/SUB}}
</ul>
</section>{{/ROOT}}
</div>
{{#EMPTY}}<p class="empty">The shop has no categories yet.</p>{{/EMPTY}}
{{>FOOTER}}
