import { createPinia } from 'pinia';
import { createApp } from 'vue';
import './styles/element-styles';
import './styles/main.css';
import App from './App.vue';
import { installAppShell } from './app/installable';
import { installSessionLifecycle } from './app/session-lifecycle';
import { i18n } from './i18n';
import { router } from './router';

const app = createApp(App);
app.use(createPinia());
app.use(i18n);
installSessionLifecycle(router);
installAppShell();
app.use(router);
app.mount('#app');
