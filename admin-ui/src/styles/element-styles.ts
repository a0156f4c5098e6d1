import 'element-plus/theme-chalk/index.css';
