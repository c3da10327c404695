{{%AUTOESCAPE context="HTML"}}<ol class="steps" aria-label="Checkout steps">
{{#STEP}}<li class="{{CLASS}}"{{#CUR}} aria-current="step"{{/CUR}}><span class="step-n">{{N}}</span> {{NAME}}</li>{{/STEP}}
</ol>
