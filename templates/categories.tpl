{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<nav class="crumbs" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li><li><span aria-current="page">All categories</span></li></ol></nav>
<h1>All categories</h1>
<p class="muted">Departments first: open one to see its categories, then follow a category to the ones inside it.</p>
<div class="cat-tree">
{{#ROOT}}<details class="cat-dept">
<summary><span class="cat-name">{{NAME}}</span> <span class="count">{{COUNT}}</span></summary>
<ul>
<li><a href="{{HREF}}"><strong>Everything in {{NAME}}</strong></a></li>
{{#SUB}}<li><a href="{{HREF}}">{{NAME}}</a> <span class="count">{{COUNT}}</span></li>{{/SUB}}
</ul>
</details>{{/ROOT}}
</div>
{{#EMPTY}}<p class="empty">The shop has no categories yet.</p>{{/EMPTY}}
{{>FOOTER}}
