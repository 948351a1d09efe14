import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { createConsoleRouter } from './router';

// Pinia first: the router's guards read the session store.
createApp(App).use(createPinia()).use(createConsoleRouter()).mount('#app');
