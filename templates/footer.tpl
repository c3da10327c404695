{{%AUTOESCAPE context="HTML"}}</main><footer class="foot">Souk demo shop</footer></body></html>
