{{%AUTOESCAPE context="HTML"}}<link rel="stylesheet" href="/static/admin.css">
<script src="/static/admin.js" defer></script>
<nav class="admin-nav" aria-label="Admin">
<ul>{{#NAV}}<li><a href="{{HREF}}"{{#CUR}} aria-current="page"{{/CUR}}>{{NAME}}</a></li>{{/NAV}}</ul>
</nav>
{{#NOTICE}}<p class="notice" id="notice" role="status">{{TEXT}}</p>{{/NOTICE}}
