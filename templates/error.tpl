{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="error-page">
<p class="error-code">{{STATUS}}</p>
<h1>{{REASON}}</h1>
<p class="lead">{{HINT}}</p>
{{#DETAIL}}<p class="error-detail"><span class="muted">What went wrong:</span> {{MESSAGE}}</p>{{/DETAIL}}
<p class="actions"><a class="btn" href="/">Go to the home page</a> <a class="btn btn-ghost" href="/c/">Browse all categories</a></p>
</section>
{{>FOOTER}}
