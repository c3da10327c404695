{{%AUTOESCAPE context="HTML"}}<nav class="crumbs" aria-label="Breadcrumb">
<ol>
<li><a href="/">Home</a></li>
{{#CRUMB}}<li>{{#LINK}}<a href="{{HREF}}">{{NAME}}</a>{{/LINK}}{{#CURRENT}}<span aria-current="page">{{NAME}}</span>{{/CURRENT}}</li>{{/CRUMB}}
</ol>
</nav>
